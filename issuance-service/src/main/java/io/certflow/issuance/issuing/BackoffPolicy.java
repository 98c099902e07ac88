package io.certflow.issuance.issuing;

import java.time.Duration;
import java.time.Instant;

/**
 * When to try again after a transient CA failure: exponential, bounded, never before the CA's
 * {@code Retry-After}, and not at all after too many failures in a row. Exists so that the rule is
 * one small tested function instead of arithmetic spread over the poller.
 *
 * @param initial     wait after the first failure
 * @param multiplier  growth per further failure
 * @param max         longest computed wait (a longer {@code Retry-After} still wins)
 * @param maxFailures consecutive failures tolerated
 */
public record BackoffPolicy(Duration initial, double multiplier, Duration max, int maxFailures) {

    /** The policy of the configuration. */
    public static BackoffPolicy of(IssuanceProperties.Backoff backoff) {
        return new BackoffPolicy(backoff.initial(), backoff.multiplier(), backoff.max(), backoff.maxFailures());
    }

    /** Whether the {@code failures}-th consecutive failure means giving up. */
    public boolean exhausted(int failures) {
        return failures > maxFailures;
    }

    /** The next try after the {@code failures}-th consecutive failure (1-based) at {@code now}. */
    public Instant nextTry(int failures, Instant now, Instant retryAfter) {
        double factor = Math.pow(multiplier, Math.max(0, failures - 1));
        double millis = Math.min(initial.toMillis() * factor, (double) max.toMillis());
        Instant backoff = now.plusMillis((long) millis);
        return retryAfter != null && retryAfter.isAfter(backoff) ? retryAfter : backoff;
    }
}
