package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.IssuanceAttempt;

import java.time.Instant;

/**
 * Grants the slot an attempt needs before it places a new ACME order, per (CA profile, ACME account).
 * Exists so that the state machine asks one question and the shared storage stays behind it.
 */
public interface OrderRateLimiter {

    /** A limiter that always grants (no limit). */
    OrderRateLimiter UNLIMITED = (profile, attempt, now) -> new NewOrderLimit.Decision(true, null, null);

    /**
     * Takes a slot of {@code profile} for {@code attempt} at {@code now}, or says until when it waits.
     * Asking again after a grant is answered with the same grant while the slot is in the window.
     */
    NewOrderLimit.Decision acquire(String profile, IssuanceAttempt attempt, Instant now);
}
