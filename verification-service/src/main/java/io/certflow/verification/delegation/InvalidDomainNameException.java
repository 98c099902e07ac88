package io.certflow.verification.delegation;

/**
 * A domain name that cannot be used: a person typed something that is not a host name. The
 * message says why and is safe to show to the caller (the web layer turns it into a 400).
 */
public class InvalidDomainNameException extends IllegalArgumentException {

    public InvalidDomainNameException(String message) {
        super(message);
    }
}
