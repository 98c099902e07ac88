package io.certflow.hosting.managing;

/** How close the live version is to its end, as the expiry watch last found it. */
public enum ExpiryState {
    /** Not at risk. */
    VALID,
    /**
     * At risk: a promised renewal is overdue, or (with none promised: not hosted, paused, the term's last version)
     * fewer than the warning period remain.
     */
    EXPIRING,
    /** Past its {@code notAfter}. */
    EXPIRED
}
