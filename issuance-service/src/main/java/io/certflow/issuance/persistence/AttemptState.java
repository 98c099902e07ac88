package io.certflow.issuance.persistence;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an issuance attempt is. Exists so that the poller, the listeners and the API agree on one
 * state machine:
 * {@code NEW → AWAITING_CHALLENGES → CHALLENGES_READY → VALIDATING → FINALIZING → ISSUED}, with
 * {@code FAILED} and {@code CANCELLED} reachable from every active state. An order whose
 * authorizations are all valid already skips from {@code NEW} to {@code VALIDATING}.
 */
public enum AttemptState {
    /** Created from a trigger; the ACME order is not placed yet. */
    NEW,
    /** Order placed, {@code ChallengeRequested} raised; waiting for {@code ChallengeReady}. */
    AWAITING_CHALLENGES,
    /** The TXT records are published; the challenges are to be triggered. */
    CHALLENGES_READY,
    /** Challenges triggered; the CA validates. */
    VALIDATING,
    /** The certificate key exists; the order is finalized and the certificate awaited. */
    FINALIZING,
    /** A certificate version was issued and stored. */
    ISSUED,
    /** Ended without a certificate ({@code IssuanceFailed} raised). */
    FAILED,
    /** Stopped because the order was cancelled. */
    CANCELLED;

    /** States the poller advances (the others wait for an event, or are final). */
    public static final Set<AttemptState> POLLED = EnumSet.of(NEW, AWAITING_CHALLENGES, CHALLENGES_READY, VALIDATING, FINALIZING);

    /** Whether the attempt still runs. */
    public boolean active() {
        return this != ISSUED && this != FAILED && this != CANCELLED;
    }
}
