package io.certflow.hosting.managing;

/**
 * A renewal was asked of a certificate that cannot be renewed now (not issued yet, cancelled, not
 * hosted, or its term ended). The message says why, for the caller.
 */
public class NotRenewableException extends RuntimeException {

    public NotRenewableException(String message) {
        super(message);
    }
}
