package io.certflow.order.persistence;

import io.certflow.order.ordering.CancelledPurchase;
import org.springframework.data.mongodb.repository.MongoRepository;

/** Upstream cancellations that came before their purchase, by upstream order id (the document id). */
public interface CancelledPurchaseRepository extends MongoRepository<CancelledPurchase, String> {
}
