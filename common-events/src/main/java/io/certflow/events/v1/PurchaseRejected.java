package io.certflow.events.v1;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * order-service refused an upstream purchase for a business reason (a bad domain, an unknown
 * product, a term out of range…): no order was created. The answer upstream billing reads on
 * {@code certflow.purchase-rejected}, keyed by the upstream {@code orderId}; published once per
 * upstream order.
 *
 * @param orderId    the upstream order id of the purchase ({@code PurchaseCompleted.orderId})
 * @param reasonCode machine-readable reason, e.g. {@code INVALID_DOMAIN}, {@code PUBLIC_SUFFIX},
 *                   {@code TOO_MANY_DOMAINS}, {@code UNKNOWN_PRODUCT}, {@code WILDCARD_NOT_IN_PRODUCT},
 *                   {@code HOSTING_NOT_IN_PRODUCT}, {@code INVALID_TERM}, {@code CONFLICTING_DUPLICATE},
 *                   {@code PURCHASE_CANCELLED} (a {@code PurchaseCancelled} came before the purchase);
 *                   consumers treat a code they do not know as a refusal
 * @param reason     the reason as a sentence, for people
 */
public record PurchaseRejected(UUID eventId, Instant occurredAt, String accountId, String orderId,
                               String reasonCode, String reason) implements CertflowEvent {

    public PurchaseRejected {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(orderId, "orderId");
        Require.present(reasonCode, "reasonCode");
        Require.present(reason, "reason");
    }

    @Override
    public String subject() {
        return orderId;
    }
}
