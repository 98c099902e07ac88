package io.certflow.hosting.managing;

/** What started a renewal. */
public enum RenewalTrigger {
    /** Its planned time came (a share of the lifetime, the CA's window, or a retry after a failure). */
    SCHEDULED,
    /** A person asked through the API; waits for no backoff. */
    MANUAL,
    /** The live version was revoked: replaced at once. */
    REVOKED
}
