package io.certflow.events.v1;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Upstream billing sold a certificate. Published by systems outside certflow on
 * {@code certflow.purchase-completed}, keyed by {@code orderId}; order-service applies it once per
 * {@code orderId} and answers it once, with {@code PurchaseAccepted} or {@code PurchaseRejected}.
 *
 * <p>A purchase either names its domains ("purchase by domain name": the certificate is requested at
 * once) or leaves them out: the order then waits for its application ({@code POST
 * /api/v1/orders/{orderId}/application}), which names the domains, the verification method and the key.
 *
 * @param orderId   the upstream order id, unique per purchase
 * @param product   the product code, e.g. {@code dv-single}
 * @param domains   the names to certify (optional: absent or empty leaves them for the application)
 * @param termYears the paid term, 1 to 3 years
 * @param hosting   whether certflow renews the certificate for the whole term (optional, default false)
 */
public record PurchaseCompleted(UUID eventId, Instant occurredAt, String accountId, String orderId,
                                String product, List<String> domains, Integer termYears, Boolean hosting)
        implements CertflowEvent {

    public PurchaseCompleted {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(orderId, "orderId");
        Require.present(product, "product");
        Require.present(termYears, "termYears");
        domains = domains == null ? List.of() : List.copyOf(domains);
        hosting = hosting != null && hosting;
    }

    @Override
    public String subject() {
        return orderId;
    }

    /** Whether the purchase names its domains; if not, they come with the order's application. */
    public boolean namesDomains() {
        return !domains.isEmpty();
    }
}
