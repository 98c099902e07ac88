package io.certflow.issuance.persistence;

import java.time.Instant;

/**
 * One new ACME order counted against a rate-limit window: which attempt took the slot, and when.
 *
 * @param attemptId the attempt that placed (or was allowed to place) the order
 * @param at        when the slot was taken
 */
public record OrderSlot(String attemptId, Instant at) {
}
