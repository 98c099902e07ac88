package io.certflow.verification.credentials;

/** A credential was refused when given: its settings cannot work. The message lists why and holds no secret. */
public class InvalidCredentialException extends RuntimeException {

    public InvalidCredentialException(String message) {
        super(message);
    }
}
