package io.certflow.deployment.credentials;

/**
 * A resource's credential cannot be used: it was deleted, or it no longer opens (the key-encryption key changed
 * without the old one kept). A deployment to such a resource fails with this message, not retried.
 */
public class CredentialUnavailableException extends RuntimeException {

    public CredentialUnavailableException(String message) {
        super(message);
    }
}
