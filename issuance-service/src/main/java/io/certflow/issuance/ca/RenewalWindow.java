package io.certflow.issuance.ca;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * The renewal window a CA suggests for one certificate (RFC 9773 ACME Renewal Information,
 * {@code suggestedWindow}): renewing at a moment inside it spreads the CA's load and keeps the
 * certificate ahead of planned revocations.
 *
 * @param start          start of the window
 * @param end            end of the window, after the start
 * @param explanationUrl the CA's page explaining the window, or null
 */
public record RenewalWindow(Instant start, Instant end, URI explanationUrl) {

    public RenewalWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the window ends (" + end + ") before it starts (" + start + ")");
        }
    }
}
