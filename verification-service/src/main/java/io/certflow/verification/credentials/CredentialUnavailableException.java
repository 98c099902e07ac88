package io.certflow.verification.credentials;

/**
 * A stored credential cannot be used: deleted, or sealed under a key-encryption key that is gone. The message
 * says what the owner can do and holds no secret.
 */
public class CredentialUnavailableException extends RuntimeException {

    public CredentialUnavailableException(String message) {
        super(message);
    }
}
