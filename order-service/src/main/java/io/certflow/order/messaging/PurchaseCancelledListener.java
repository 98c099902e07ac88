package io.certflow.order.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.order.ordering.OrderService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Upstream billing's cancellations (refunds): the order of the upstream order id is cancelled once
 * ({@code OrderCancelled}); one that comes before its purchase is remembered, and the purchase is then
 * rejected. A cancellation naming another account than the order's goes to the dead-letter topic.
 */
@Component
public class PurchaseCancelledListener {

    private final OrderService orders;

    public PurchaseCancelledListener(OrderService orders) {
        this.orders = orders;
    }

    /** Cancels one upstream order. */
    @KafkaListener(topics = Topics.PURCHASE_CANCELLED)
    public void on(PurchaseCancelled event) {
        orders.cancelPurchase(event);
    }
}
