package io.certflow.order.ordering;

/** The caller's account has no order of this id (another account's order is not found either): a 404. */
public class UnknownOrderException extends RuntimeException {

    public UnknownOrderException(String orderId) {
        super("No order " + orderId + ".");
    }
}
