package io.certflow.hosting.managing;

/** What an expiry alert ({@code CertificateExpiring}) is about, from the least to the most urgent. */
public enum ExpiryAlertKind {
    /** The live version should have been renewed (its renewal time plus the grace passed) and was not. */
    RENEWAL_OVERDUE,
    /** Fewer than the warning period remain before the live version expires, and it was not renewed; daily. */
    EXPIRING,
    /** The live version expired without a renewal; raised once. */
    EXPIRED
}
