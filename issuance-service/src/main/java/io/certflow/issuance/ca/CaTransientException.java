package io.certflow.issuance.ca;

import java.time.Instant;
import java.util.Optional;

/**
 * The call did not get an answer that decides anything: network failure, a 5xx, a server-internal
 * problem, a bad nonce the library could not recover from, or a rate limit. Trying the same call
 * again later can succeed; the caller backs off and honours {@link #retryAfter()}.
 * Modelled on acme4j's {@code AcmeNetworkException} and {@code AcmeRetryAfterException}.
 */
public sealed class CaTransientException extends CaException permits CaRateLimitedException {

    private final transient Instant retryAfter;
    private final String problemType;

    public CaTransientException(String message, String problemType, Instant retryAfter, Throwable cause) {
        super(message, cause);
        this.problemType = problemType;
        this.retryAfter = retryAfter;
    }

    /** When the CA asked to be called again, if it said. */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public String problemType() {
        return problemType;
    }
}
