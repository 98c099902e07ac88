package io.certflow.events;

import java.util.List;

/**
 * Topic names: one topic per event type, {@code certflow.<event-in-kebab-case>}, and for each a
 * dead-letter topic {@code <topic>-dlt} that receives records no consumer could read.
 */
public final class Topics {

    public static final String PURCHASE_COMPLETED = "certflow.purchase-completed";
    public static final String CERTIFICATE_REQUESTED = "certflow.certificate-requested";
    public static final String DOMAINS_VERIFIED = "certflow.domains-verified";
    public static final String CHALLENGE_REQUESTED = "certflow.challenge-requested";
    public static final String CHALLENGE_READY = "certflow.challenge-ready";
    public static final String CERTIFICATE_ISSUED = "certflow.certificate-issued";
    public static final String ISSUANCE_FAILED = "certflow.issuance-failed";
    public static final String RENEWAL_DUE = "certflow.renewal-due";
    public static final String DEPLOYMENT_COMPLETED = "certflow.deployment-completed";
    public static final String CERTIFICATE_EXPIRING = "certflow.certificate-expiring";
    public static final String ORDER_CANCELLED = "certflow.order-cancelled";
    public static final String CERTIFICATE_REVOKED = "certflow.certificate-revoked";
    public static final String PURCHASE_ACCEPTED = "certflow.purchase-accepted";
    public static final String PURCHASE_REJECTED = "certflow.purchase-rejected";
    public static final String RENEWAL_WINDOW_CHANGED = "certflow.renewal-window-changed";
    public static final String DOMAIN_VERIFICATION_LOST = "certflow.domain-verification-lost";
    public static final String PURCHASE_CANCELLED = "certflow.purchase-cancelled";
    public static final String MAINTENANCE_WINDOWS_CHANGED = "certflow.maintenance-windows-changed";

    /** Suffix of dead-letter topics. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    /** Every event topic, in lifecycle order. */
    public static final List<String> ALL = List.of(
            PURCHASE_COMPLETED, CERTIFICATE_REQUESTED, DOMAINS_VERIFIED, CHALLENGE_REQUESTED,
            CHALLENGE_READY, CERTIFICATE_ISSUED, ISSUANCE_FAILED, RENEWAL_DUE,
            DEPLOYMENT_COMPLETED, CERTIFICATE_EXPIRING, ORDER_CANCELLED, CERTIFICATE_REVOKED,
            PURCHASE_ACCEPTED, PURCHASE_REJECTED, RENEWAL_WINDOW_CHANGED, DOMAIN_VERIFICATION_LOST,
            PURCHASE_CANCELLED, MAINTENANCE_WINDOWS_CHANGED);

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}. */
    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
