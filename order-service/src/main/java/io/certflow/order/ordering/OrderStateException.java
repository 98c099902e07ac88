package io.certflow.order.ordering;

/**
 * A step that the order's state does not allow (applying an order that is not waiting for its
 * application, cancelling it twice): the web layer answers 409, with this message as the detail.
 */
public class OrderStateException extends RuntimeException {

    public OrderStateException(String message) {
        super(message);
    }
}
