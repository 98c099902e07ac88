package io.certflow.events.v1;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * order-service accepted an upstream purchase: the order exists and its certificate is requested.
 * The answer upstream billing reads on {@code certflow.purchase-accepted}, keyed by the upstream
 * {@code orderId}; published once per upstream order, however often the purchase was delivered.
 *
 * @param orderId       the upstream order id of the purchase ({@code PurchaseCompleted.orderId})
 * @param certificateId the managed certificate the purchase became
 * @param domains       the canonical (lower-case ASCII/punycode, duplicates removed) names requested
 * @param termEndsAt    end of the paid term
 */
public record PurchaseAccepted(UUID eventId, Instant occurredAt, String accountId, String orderId,
                               String certificateId, List<String> domains, Instant termEndsAt)
        implements CertflowEvent {

    public PurchaseAccepted {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(orderId, "orderId");
        Require.present(certificateId, "certificateId");
        Require.present(domains, "domains");
        Require.present(termEndsAt, "termEndsAt");
        domains = List.copyOf(domains);
    }

    @Override
    public String subject() {
        return orderId;
    }
}
