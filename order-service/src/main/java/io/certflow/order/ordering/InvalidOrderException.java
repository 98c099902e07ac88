package io.certflow.order.ordering;

/**
 * An order (from the API or a purchase) breaks a rule: a bad domain, a term out of range. The
 * message says what to fix; the web layer answers 400, the purchase listener dead-letters the record.
 */
public class InvalidOrderException extends IllegalArgumentException {

    public InvalidOrderException(String message) {
        super(message);
    }
}
