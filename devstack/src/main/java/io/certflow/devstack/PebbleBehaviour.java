package io.certflow.devstack;

import java.util.Map;

/**
 * How hostile the local Pebble is: whether its VA sleeps a random 0–15 s before each validation
 * ({@code PEBBLE_VA_NOSLEEP} unset) and what share of requests its WFE refuses with {@code badNonce}
 * ({@code PEBBLE_WFE_NONCEREJECT}); and which CA features it plays: external account binding
 * ({@code externalAccountBindingRequired} with its {@code externalAccountMACKeys}) and alternate
 * certificate chains ({@code PEBBLE_ALTERNATE_ROOTS}, {@code PEBBLE_CHAIN_LENGTH}).
 *
 * @param validationDelay        true: Pebble's random validation delay (its default); false: {@code PEBBLE_VA_NOSLEEP=1}
 * @param nonceRejectPercent     0–100: the percentage of valid nonces Pebble rejects (its default is 5)
 * @param externalAccountMacKeys EAB key id → HMAC key (base64url); not empty: Pebble requires EAB for new accounts
 * @param alternateRoots         extra root hierarchies Pebble issues alternate chains from (0: none, its default)
 * @param chainLength            intermediates between leaf and root (Pebble's default and minimum is 1)
 */
public record PebbleBehaviour(boolean validationDelay, int nonceRejectPercent, Map<String, String> externalAccountMacKeys,
                              int alternateRoots, int chainLength) {

    /** Pebble's own default nonce rejection rate. */
    public static final int PEBBLE_DEFAULT_NONCE_REJECT_PERCENT = 5;

    public PebbleBehaviour {
        if (nonceRejectPercent < 0 || nonceRejectPercent > 100) {
            throw new IllegalArgumentException("nonceRejectPercent must be 0..100, not " + nonceRejectPercent);
        }
        externalAccountMacKeys = externalAccountMacKeys == null ? Map.of() : Map.copyOf(externalAccountMacKeys);
        if (alternateRoots < 0) {
            throw new IllegalArgumentException("alternateRoots must be 0 or more, not " + alternateRoots);
        }
        if (chainLength < 1) {
            throw new IllegalArgumentException("chainLength must be at least 1, not " + chainLength);
        }
    }

    /** No EAB, no alternate chains, one intermediate: Pebble's defaults for those. */
    public PebbleBehaviour(boolean validationDelay, int nonceRejectPercent) {
        this(validationDelay, nonceRejectPercent, Map.of(), 0, 1);
    }

    /** Whether Pebble requires external account binding for new accounts. */
    public boolean externalAccountBindingRequired() {
        return !externalAccountMacKeys.isEmpty();
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
        return new PebbleBehaviour(validationDelay, percent, externalAccountMacKeys, alternateRoots, chainLength);
    }

    public PebbleBehaviour withValidationDelay(boolean delay) {
        return new PebbleBehaviour(delay, nonceRejectPercent, externalAccountMacKeys, alternateRoots, chainLength);
    }

    /** Requires external account binding with these key ids and base64url HMAC keys (empty: not required). */
    public PebbleBehaviour withExternalAccountBinding(Map<String, String> macKeys) {
        return new PebbleBehaviour(validationDelay, nonceRejectPercent, macKeys, alternateRoots, chainLength);
    }

    /** Issues every certificate also under {@code roots} alternate root hierarchies (ACME alternate chains). */
    public PebbleBehaviour withAlternateRoots(int roots) {
        return new PebbleBehaviour(validationDelay, nonceRejectPercent, externalAccountMacKeys, roots, chainLength);
    }

    /** Puts {@code length} intermediates between leaf and root. */
    public PebbleBehaviour withChainLength(int length) {
        return new PebbleBehaviour(validationDelay, nonceRejectPercent, externalAccountMacKeys, alternateRoots, length);
    }
}
