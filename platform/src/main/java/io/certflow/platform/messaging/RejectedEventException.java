package io.certflow.platform.messaging;

/**
 * A consumer refuses a well-formed record for a business reason that no retry can change (an
 * invalid domain in a purchase, say). The record goes to {@code <topic>-dlt} at once, with this
 * message as the reason; the consumer goes on with the next record.
 */
public class RejectedEventException extends RuntimeException {

    public RejectedEventException(String reason) {
        super(reason);
    }
}
