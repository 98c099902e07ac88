package io.certflow.deployment.deploying;

import java.time.Duration;
import java.util.Optional;

/**
 * A certificate bundle could not be fetched. {@link #retryable()} tells a passing failure (network, 5xx,
 * rate limit) from one that will not heal by waiting (unknown version, rejected credential). The message
 * never holds key material or credentials.
 */
public class CertificateUnavailableException extends RuntimeException {

    private final boolean retryable;
    private final Duration retryAfter;

    public CertificateUnavailableException(String message, boolean retryable, Duration retryAfter) {
        super(message);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public boolean retryable() {
        return retryable;
    }

    /** What the source asked us to wait, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
