package io.certflow.events.v1;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * Upstream billing cancelled (refunded) a purchase. Published by systems outside certflow on
 * {@code certflow.purchase-cancelled}, keyed by the upstream {@code orderId}; order-service cancels the
 * order once (raising {@code OrderCancelled}: hosting and deployment stop, and issuance revokes the live
 * certificate if {@code revoke}). A cancellation that arrives before its purchase is remembered, and the
 * purchase is then answered {@code PurchaseRejected} ({@code PURCHASE_CANCELLED}).
 *
 * @param orderId the upstream order id of the purchase ({@code PurchaseCompleted.orderId})
 * @param reason  why, for people (optional), e.g. {@code refunded}
 * @param revoke  whether the live certificate should be revoked (optional, default false)
 */
public record PurchaseCancelled(UUID eventId, Instant occurredAt, String accountId, String orderId, String reason,
                                Boolean revoke) implements CertflowEvent {

    public PurchaseCancelled {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(orderId, "orderId");
        revoke = revoke != null && revoke;
    }

    @Override
    public String subject() {
        return orderId;
    }
}
