package io.certflow.issuance.ca;

import java.time.Instant;

/**
 * The CA refused because a rate limit was hit ({@code urn:ietf:params:acme:error:rateLimited}); it is
 * transient by nature and usually carries a {@code Retry-After}. Modelled on acme4j's
 * {@code AcmeRateLimitedException}.
 */
public final class CaRateLimitedException extends CaTransientException {

    public CaRateLimitedException(String message, Instant retryAfter, Throwable cause) {
        super(message, CaProblem.ACME_ERROR_PREFIX + "rateLimited", retryAfter, cause);
    }
}
