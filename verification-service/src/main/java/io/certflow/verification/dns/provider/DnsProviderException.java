package io.certflow.verification.dns.provider;

/**
 * A DNS provider did not make the change. The message says what the server answered (an RCODE such as
 * {@code NOTAUTH} or {@code REFUSED}, a timeout), never the credential.
 */
public class DnsProviderException extends Exception {

    private final boolean transientFailure;

    public DnsProviderException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public DnsProviderException(String message, boolean transientFailure) {
        this(message, transientFailure, null);
    }

    /** Whether the same change may succeed later (network, server failure) rather than never (refused). */
    public boolean transientFailure() {
        return transientFailure;
    }
}
