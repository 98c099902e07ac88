package io.certflow.platform.secrets;

/**
 * A sealed secret could not be opened: it was altered, sealed for another context, or sealed with a
 * key-encryption key that is not configured. Exists so that callers see one clear failure; its message
 * never contains key material.
 */
public class SecretDecryptionException extends RuntimeException {

    public SecretDecryptionException(String message) {
        super(message);
    }

    public SecretDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
