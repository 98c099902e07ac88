package io.certflow.deployment.target;

/**
 * A target could not do what was asked of its service as a whole (list resources, check a credential): the
 * service is down or slow (retryable), or it refused (wrong credential, no permission: not retryable). The
 * message is for people and never holds a secret.
 */
public class TargetException extends RuntimeException {

    private final boolean retryable;

    public TargetException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public TargetException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether asking again later may succeed (the service was unreachable, overloaded or timed out). */
    public boolean retryable() {
        return retryable;
    }
}
