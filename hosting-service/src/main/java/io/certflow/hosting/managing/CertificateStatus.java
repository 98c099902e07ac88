package io.certflow.hosting.managing;

/** Where a managed certificate stands, as users see it. */
public enum CertificateStatus {
    /** Requested; no version issued yet. */
    PENDING_ISSUANCE,
    /** A version is live and the next renewal (if any) is scheduled. */
    HOSTED,
    /** A renewal was asked of issuance-service and has not been answered yet. */
    RENEWING,
    /** The last renewal failed; it is tried again at {@code nextRenewalAt}. */
    RENEWAL_FAILED,
    /** The order was cancelled: no more renewals. */
    CANCELLED
}
