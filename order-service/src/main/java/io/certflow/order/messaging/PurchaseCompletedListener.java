package io.certflow.order.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.ordering.InvalidOrderException;
import io.certflow.order.ordering.OrderService;
import io.certflow.platform.messaging.RejectedEventException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Turns upstream billing's purchases into orders. A purchase that breaks an order rule (a bad
 * domain, a term out of range) is refused to the dead-letter topic with the reason, at once; the
 * consumer goes on with the next purchase.
 */
@Component
public class PurchaseCompletedListener {

    private final OrderService orders;

    public PurchaseCompletedListener(OrderService orders) {
        this.orders = orders;
    }

    @KafkaListener(topics = Topics.PURCHASE_COMPLETED)
    public void on(PurchaseCompleted purchase) {
        try {
            orders.applyPurchase(purchase);
        } catch (InvalidOrderException e) {
            throw new RejectedEventException("purchase " + purchase.orderId() + " refused: " + e.getMessage());
        }
    }
}
