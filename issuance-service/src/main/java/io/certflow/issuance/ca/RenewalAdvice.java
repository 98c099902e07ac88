package io.certflow.issuance.ca;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One answer of the CA's renewal information resource: the suggested window, and when the CA asks to
 * be asked again (its {@code Retry-After}, RFC 9773 §4.3).
 *
 * @param window     the suggested window
 * @param retryAfter when to ask again, or null when the CA sent no {@code Retry-After}
 */
public record RenewalAdvice(RenewalWindow window, Instant retryAfter) {

    public RenewalAdvice {
        Objects.requireNonNull(window, "window");
    }

    /** The CA's {@code Retry-After}, if it sent one. */
    public Optional<Instant> retryAfterIfAny() {
        return Optional.ofNullable(retryAfter);
    }
}
