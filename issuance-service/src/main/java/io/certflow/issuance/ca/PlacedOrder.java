package io.certflow.issuance.ca;

import java.util.List;
import java.util.Objects;

/**
 * The result of placing an order: the handle to continue it, its state right after creation, and the
 * DNS-01 challenges still to prove (empty when the CA already holds every authorization as valid).
 *
 * @param handle     the order
 * @param state      the order's state as the CA returned it
 * @param challenges one challenge per authorization still pending
 */
public record PlacedOrder(OrderHandle handle, OrderState state, List<DnsChallenge> challenges) {

    public PlacedOrder {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(state, "state");
        challenges = List.copyOf(challenges);
    }
}
