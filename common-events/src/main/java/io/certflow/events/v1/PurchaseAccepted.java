package io.certflow.events.v1;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * order-service accepted an upstream purchase: the order exists and, when the purchase named its
 * domains, its certificate is requested. The answer upstream billing reads on
 * {@code certflow.purchase-accepted}, keyed by the upstream {@code orderId}; published once per upstream
 * order, however often the purchase was delivered.
 *
 * @param orderId       the upstream order id of the purchase ({@code PurchaseCompleted.orderId})
 * @param certificateId the managed certificate the purchase became (reserved at once, also when the
 *                      domains come later with the application)
 * @param domains       the canonical (lower-case ASCII/punycode, duplicates removed) names requested; empty
 *                      when the purchase left them for the application
 * @param termEndsAt    end of the paid term
 * @param status        {@code APPLIED} (the certificate is requested) or {@code AWAITING_APPLICATION} (the
 *                      purchase named no domains); optional, absent means {@code APPLIED}
 */
public record PurchaseAccepted(UUID eventId, Instant occurredAt, String accountId, String orderId,
                               String certificateId, List<String> domains, Instant termEndsAt, String status)
        implements CertflowEvent {

    /** {@link #status()} of a purchase whose certificate is requested. */
    public static final String APPLIED = "APPLIED";
    /** {@link #status()} of a purchase that named no domains: they come with the application. */
    public static final String AWAITING_APPLICATION = "AWAITING_APPLICATION";

    public PurchaseAccepted {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(orderId, "orderId");
        Require.present(certificateId, "certificateId");
        if (domains == null) {
            throw new IllegalArgumentException("missing required field 'domains'");
        }
        Require.present(termEndsAt, "termEndsAt");
        domains = List.copyOf(domains);
    }

    /** An answer without a status: the certificate is requested. */
    public PurchaseAccepted(UUID eventId, Instant occurredAt, String accountId, String orderId,
                            String certificateId, List<String> domains, Instant termEndsAt) {
        this(eventId, occurredAt, accountId, orderId, certificateId, domains, termEndsAt, null);
    }

    @Override
    public String subject() {
        return orderId;
    }
}
