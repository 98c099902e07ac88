package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.IssuanceAttempt;

import java.time.Instant;

/**
 * What the stepper needs from storage to place at most one ACME order per attempt across crashes: a durable note
 * that an order is about to be asked for (written before the request leaves), and the two questions that tell
 * whether an open order found at the CA may belong to someone else.
 *
 * <p>Exists because the CA call and the write of its answer cannot be one step: a crash (or a timeout) between
 * them leaves an order at the CA that the attempt does not know. The note says "look before you order again".
 */
public interface OrderIntents {

    /**
     * Marks {@code attempt} (the document the stepper was given) as about to place an order at {@code at}, and
     * makes that durable before returning. Throws when the document changed since it was read.
     */
    void record(IssuanceAttempt attempt, Instant at);

    /** Whether some attempt already holds {@code orderUrl} as its order. */
    boolean orderTaken(String orderUrl);

    /**
     * Whether another running attempt of the same account and CA profile, for the same domains, also asked for
     * an order without storing one: then an open order found at the CA could be that attempt's, not this one's.
     */
    boolean othersMayOwn(IssuanceAttempt attempt);
}
