package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order was applied: a certificate for these domains is wanted. Starts verification and
 * issuance; hosting starts tracking the certificate.
 *
 * @param orderId     the order the certificate belongs to
 * @param domains     ASCII (punycode) names, wildcards as {@code *.example.com}
 * @param product     the product code
 * @param termYears   the paid term in years
 * @param termEndsAt  end of the paid term: hosting never renews past it
 * @param hosting     whether hosting renews the certificate
 * @param caProfile   the CA profile to issue with (optional; the default profile when absent)
 * @param keyType     the key type: {@code EC_P256}, {@code EC_P384}, {@code RSA_2048}, {@code RSA_3072} or
 *                    {@code RSA_4096} (optional; the CA profile's default, EC P-256, when absent)
 * @param reuseKey    keep the private key of the replaced version at each renewal (optional; false: a new key
 *                    at every renewal)
 * @param verificationMethod how the order's application chose to prove control of the domains:
 *                    {@code CNAME_DELEGATION} (a one-time {@code _acme-challenge} CNAME to the delegation zone) or
 *                    {@code DNS_PROVIDER} (the account's DNS through its API); optional, absent: verification
 *                    uses whatever each domain is set up for
 */
public record CertificateRequested(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                   String orderId, List<String> domains, String product, Integer termYears,
                                   Instant termEndsAt, Boolean hosting, String caProfile, String keyType,
                                   Boolean reuseKey, String verificationMethod)
        implements CertificateEvent {

    /** {@link #verificationMethod()}: a one-time CNAME delegation of {@code _acme-challenge}. */
    public static final String CNAME_DELEGATION = "CNAME_DELEGATION";
    /** {@link #verificationMethod()}: the account's DNS provider, through its API. */
    public static final String DNS_PROVIDER = "DNS_PROVIDER";

    public CertificateRequested {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(orderId, "orderId");
        Require.present(domains, "domains");
        domains = List.copyOf(domains);
        hosting = hosting != null && hosting;
        reuseKey = reuseKey != null && reuseKey;
    }

    /** A request without a verification method (verification uses what each domain is set up for). */
    public CertificateRequested(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                String orderId, List<String> domains, String product, Integer termYears,
                                Instant termEndsAt, Boolean hosting, String caProfile, String keyType,
                                Boolean reuseKey) {
        this(eventId, occurredAt, accountId, certificateId, orderId, domains, product, termYears, termEndsAt, hosting,
                caProfile, keyType, reuseKey, null);
    }

    /** A request without a key-reuse choice (a new key at every renewal). */
    public CertificateRequested(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                String orderId, List<String> domains, String product, Integer termYears,
                                Instant termEndsAt, Boolean hosting, String caProfile, String keyType) {
        this(eventId, occurredAt, accountId, certificateId, orderId, domains, product, termYears, termEndsAt, hosting,
                caProfile, keyType, null, null);
    }
}
