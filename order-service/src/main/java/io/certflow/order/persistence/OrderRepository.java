package io.certflow.order.persistence;

import io.certflow.order.ordering.Order;
import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.Optional;

/**
 * The orders collection. Every read for a caller goes through the account, so one account never
 * sees another's order.
 */
public interface OrderRepository extends MongoRepository<Order, String> {

    /** The order {@code orderId} if it belongs to {@code accountId}. */
    Optional<Order> findByOrderIdAndAccountId(String orderId, String accountId);

    /** The order whose certificate is {@code certificateId} (a unique index). */
    Optional<Order> findByCertificateId(String certificateId);
}
