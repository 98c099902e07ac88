package io.certflow.verification.credentials;

/** A credential cannot be deleted while domains use it; the message names them. */
public class CredentialInUseException extends RuntimeException {

    public CredentialInUseException(String message) {
        super(message);
    }
}
