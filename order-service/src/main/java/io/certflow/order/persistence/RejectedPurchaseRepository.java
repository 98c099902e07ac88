package io.certflow.order.persistence;

import io.certflow.order.ordering.RejectedPurchase;
import org.springframework.data.mongodb.repository.MongoRepository;

/** The refused upstream purchases, by upstream order id (the document id). */
public interface RejectedPurchaseRepository extends MongoRepository<RejectedPurchase, String> {
}
