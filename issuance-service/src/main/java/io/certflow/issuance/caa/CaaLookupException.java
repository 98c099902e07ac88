package io.certflow.issuance.caa;

/**
 * A CAA lookup without a definite answer. The pre-check is advisory, so the caller lets the order go on; when
 * the resolver did not answer at all ({@link #unreachable()}) it also stops asking it for the other names.
 */
public class CaaLookupException extends Exception {

    private final boolean unreachable;

    /**
     * @param message     what went wrong, naming the name and the resolver (no secrets: a DNS answer holds none)
     * @param unreachable true when the resolver did not answer (timeout, connection refused)
     * @param cause       the underlying failure, if any
     */
    public CaaLookupException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    /** Whether the resolver did not answer at all. */
    public boolean unreachable() {
        return unreachable;
    }
}
