package io.certflow.verification.delegation;

/**
 * A certificate request named a verification method verification-service does not know (neither
 * {@code CNAME_DELEGATION} nor {@code DNS_PROVIDER}); the request is refused rather than verified some other way.
 */
public class UnknownVerificationMethodException extends RuntimeException {

    public UnknownVerificationMethodException(String message) {
        super(message);
    }
}
