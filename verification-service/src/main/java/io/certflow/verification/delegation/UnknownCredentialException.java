package io.certflow.verification.delegation;

/** A domain was pointed at a DNS credential the account does not have. */
public class UnknownCredentialException extends RuntimeException {

    public UnknownCredentialException(String message) {
        super(message);
    }
}
