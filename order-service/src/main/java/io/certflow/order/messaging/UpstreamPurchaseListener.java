package io.certflow.order.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.ordering.InvalidOrderException;
import io.certflow.order.ordering.OrderService;
import io.certflow.platform.messaging.RejectedEventException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Upstream billing's events. Purchases become orders, and each is answered: {@code PurchaseAccepted}, or
 * {@code PurchaseRejected} with a reason code for a purchase that breaks an order rule (a bad domain,
 * an unknown product, a term out of range, cancelled before it came). Either answer is stored durably (the
 * embedded outbox) before the record is acknowledged. Only a purchase that reuses an already answered upstream
 * order id for something different is refused to the dead-letter topic (the first answer stands); records that
 * cannot be read go there too, before this listener sees them. Cancellations (refunds) cancel the order once
 * ({@code OrderCancelled}); one naming another account than the order's is dead-lettered.
 */
@Component
public class UpstreamPurchaseListener {

    private final OrderService orders;

    public UpstreamPurchaseListener(OrderService orders) {
        this.orders = orders;
    }

    /** Applies and answers one purchase. */
    @KafkaListener(topics = Topics.PURCHASE_COMPLETED)
    public void on(PurchaseCompleted purchase) {
        try {
            orders.applyPurchase(purchase);
        } catch (InvalidOrderException e) {
            throw new RejectedEventException("purchase " + purchase.orderId() + " refused: " + e.getMessage());
        }
    }

    /** Cancels one upstream order. */
    @KafkaListener(topics = Topics.PURCHASE_CANCELLED)
    public void on(PurchaseCancelled cancellation) {
        orders.cancelPurchase(cancellation);
    }
}
