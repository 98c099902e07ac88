package io.certflow.devstack;

/**
 * How hostile the local Pebble is: whether its VA sleeps a random 0–15 s before each validation
 * ({@code PEBBLE_VA_NOSLEEP} unset) and what share of requests its WFE refuses with {@code badNonce}
 * ({@code PEBBLE_WFE_NONCEREJECT}).
 *
 * @param validationDelay    true: Pebble's random validation delay (its default); false: {@code PEBBLE_VA_NOSLEEP=1}
 * @param nonceRejectPercent 0–100: the percentage of valid nonces Pebble rejects (its default is 5)
 */
public record PebbleBehaviour(boolean validationDelay, int nonceRejectPercent) {

    /** Pebble's own default nonce rejection rate. */
    public static final int PEBBLE_DEFAULT_NONCE_REJECT_PERCENT = 5;

    public PebbleBehaviour {
        if (nonceRejectPercent < 0 || nonceRejectPercent > 100) {
            throw new IllegalArgumentException("nonceRejectPercent must be 0..100, not " + nonceRejectPercent);
        }
    }

    /** No validation delay, no nonce rejection: what {@code ./certflow up} uses, so the demo is quick. */
    public static PebbleBehaviour fast() {
        return new PebbleBehaviour(false, 0);
    }

    /** Pebble at its defaults: random validation delay and 5 % nonce rejection. */
    public static PebbleBehaviour pebbleDefaults() {
        return new PebbleBehaviour(true, PEBBLE_DEFAULT_NONCE_REJECT_PERCENT);
    }

    public PebbleBehaviour withNonceRejectPercent(int percent) {
        return new PebbleBehaviour(validationDelay, percent);
    }

    public PebbleBehaviour withValidationDelay(boolean delay) {
        return new PebbleBehaviour(delay, nonceRejectPercent);
    }
}
