package io.certflow.hosting.managing;

/**
 * Where a managed certificate stands, as users see it. Derived from its facts, most pressing first:
 * cancelled, then not issued, expired, renewing, expiring, paused, failing, hosted.
 */
public enum CertificateStatus {
    /** Requested; no version issued yet (issuance-service is working on it, retrying what can be retried). */
    PENDING_ISSUANCE,
    /** The first issuance failed for good (see {@code lastFailure}); a new request is needed. */
    ISSUANCE_FAILED,
    /** A version is live and its next renewal is planned. */
    HOSTED,
    /** A version is live; it was ordered without hosting, so certflow does not renew it. */
    ISSUED,
    /** A renewal was asked of issuance-service and has not been answered yet. */
    RENEWING,
    /** The last renewal failed; it is tried again at {@code nextRenewalAt}, after a growing wait. */
    RENEWAL_FAILED,
    /** The live version is at risk: its renewal is overdue, or it ends soon with no renewal promised. */
    EXPIRING,
    /** The live version expired. */
    EXPIRED,
    /** Its owner paused hosting: nothing is renewed until it is resumed. */
    PAUSED,
    /** The order was cancelled: no more renewals. */
    CANCELLED
}
