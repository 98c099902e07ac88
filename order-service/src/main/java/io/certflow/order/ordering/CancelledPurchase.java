package io.certflow.order.ordering;

import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.UUID;

/**
 * An upstream cancellation that arrived before its purchase (the two come on different topics, so
 * either may be read first): kept under the upstream order id so that the purchase, when it comes, is
 * answered {@code PurchaseRejected} ({@link ReasonCode#PURCHASE_CANCELLED}) instead of starting a
 * certificate nobody pays for; and, should the purchase be applied in the same instant, so that the order
 * is cancelled right after.
 */
@Document("cancelled_purchases")
public class CancelledPurchase extends Aggregate {

    private String eventId;
    private Instant occurredAt;
    private String reason;
    private boolean revoke;

    /** For Spring Data. */
    protected CancelledPurchase() {
    }

    private CancelledPurchase(String orderId, String accountId) {
        super(orderId, accountId);
    }

    /** The remembered cancellation {@code event}. */
    public static CancelledPurchase of(PurchaseCancelled event) {
        CancelledPurchase cancelled = new CancelledPurchase(event.orderId(), event.accountId());
        cancelled.eventId = event.eventId().toString();
        cancelled.occurredAt = event.occurredAt();
        cancelled.reason = event.reason();
        cancelled.revoke = Boolean.TRUE.equals(event.revoke());
        cancelled.markApplied(event.eventId());
        return cancelled;
    }

    /** The cancellation as it came. */
    public PurchaseCancelled event() {
        return new PurchaseCancelled(UUID.fromString(eventId), occurredAt, getAccountId(), getId(), reason, revoke);
    }
}
