package io.certflow.events;

/**
 * A record value that cannot be read as the event its {@code ce_type} names: not JSON, a wrong
 * field type, or a required field missing. Never retried; the record goes to the dead-letter topic.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedEventException(String message) {
        super(message);
    }
}
