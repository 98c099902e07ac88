package io.certflow.devstack;

/** A stack that cannot start, a component that is not healthy, a demo step that timed out: the message says what to look at. */
public class DevstackException extends RuntimeException {
    public DevstackException(String message) {
        super(message);
    }

    public DevstackException(String message, Throwable cause) {
        super(message, cause);
    }
}
