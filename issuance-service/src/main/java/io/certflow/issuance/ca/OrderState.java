package io.certflow.issuance.ca;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One reading of an order at the CA. Exists so that a poll returns everything the caller needs to
 * decide and to schedule the next poll.
 *
 * @param status     the order's status
 * @param retryAfter when the CA asked to be polled again, or null
 * @param problem    why the order is {@link OrderStatus#INVALID}, when the CA said, or null
 */
public record OrderState(OrderStatus status, Instant retryAfter, CaProblem problem) {

    public OrderState {
        Objects.requireNonNull(status, "status");
    }

    /** A state without {@code Retry-After} or problem. */
    public static OrderState of(OrderStatus status) {
        return new OrderState(status, null, null);
    }

    /** The {@code Retry-After} instant, if the CA sent one. */
    public Optional<Instant> retryAfterInstant() {
        return Optional.ofNullable(retryAfter);
    }

    /** The problem, if the CA reported one. */
    public Optional<CaProblem> problemReport() {
        return Optional.ofNullable(problem);
    }
}
