package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * One renewal hosting asked of issuance-service, and how it ended: the history a person reads to see why
 * a certificate is late.
 *
 * @param renewalEventId the {@code RenewalDue} event id
 * @param trigger        what started it
 * @param reason         why it started (the plan's reasons, or the manual request)
 * @param fromSerial     the serial it replaces
 * @param startedAt      when it started
 * @param outcome        how it ended, or {@link Outcome#RUNNING}
 * @param newSerial      the serial it produced, when issued
 * @param failure        why it failed, when it did
 * @param endedAt        when it ended, or null while running
 */
public record RenewalAttempt(String renewalEventId, RenewalTrigger trigger, String reason, String fromSerial,
                             Instant startedAt, Outcome outcome, String newSerial, String failure, Instant endedAt) {

    /** How a renewal attempt ended. */
    public enum Outcome {
        /** Issuance has not answered yet. */
        RUNNING,
        /** A new version was issued. */
        ISSUED,
        /** Issuance failed; see {@code failure}. */
        FAILED,
        /** Issuance did not answer within the renewal timeout; it counts as failed. */
        TIMED_OUT,
        /** The order was cancelled or hosting paused while it ran. */
        ABANDONED
    }

    static RenewalAttempt started(String renewalEventId, RenewalTrigger trigger, String reason, String fromSerial,
                                  Instant at) {
        return new RenewalAttempt(renewalEventId, trigger, reason, fromSerial, at, Outcome.RUNNING, null, null, null);
    }

    RenewalAttempt ended(Outcome outcome, String newSerial, String failure, Instant at) {
        return new RenewalAttempt(renewalEventId, trigger, reason, fromSerial, startedAt, outcome, newSerial, failure, at);
    }
}
