package io.certflow.order.ordering;

/**
 * Where an order stands. For now every accepted order is applied at once (its certificate
 * requested); cancellation and later states come with the issues that need them.
 */
public enum OrderStatus {
    /** The order was accepted and its certificate requested. */
    APPLIED
}
