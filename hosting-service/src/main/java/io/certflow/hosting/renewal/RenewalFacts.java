package io.certflow.hosting.renewal;

import io.certflow.hosting.managing.RenewalWindow;

import java.time.Instant;

/**
 * What {@link RenewalPolicy} needs to know about one managed certificate to plan its next renewal, as
 * plain values, so that planning is pure and tested without documents.
 *
 * @param certificateId  the managed certificate (seeds its jitter, so that planning again gives the same time)
 * @param serialNumber   the live version, or null before the first issuance
 * @param notBefore      its validity start
 * @param notAfter       its validity end
 * @param termEndsAt     end of the paid term, or null when unknown (no limit)
 * @param hosting        whether certflow renews it at all
 * @param paused         whether its owner paused hosting
 * @param window         the CA's renewal window of the live version (RFC 9773 ARI), or null
 * @param failures       consecutive failed renewals of the live version
 * @param lastFailure    why the last one failed, or null
 * @param lastFailureAt  when it failed, or null
 */
public record RenewalFacts(String certificateId, String serialNumber, Instant notBefore, Instant notAfter,
                           Instant termEndsAt, boolean hosting, boolean paused, RenewalWindow window, int failures,
                           String lastFailure, Instant lastFailureAt) {
}
