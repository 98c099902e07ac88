package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * The renewal window the CA suggests for one issued version (RFC 9773 ARI), as issuance-service last
 * reported it. Kept with its serial and when it was read, so that a late or replayed report of an older
 * window (or of another version) cannot replace a newer one.
 *
 * @param serialNumber   the version the window is for
 * @param start          start of the window
 * @param end            end of the window
 * @param explanationUrl the CA's explanation, or null
 * @param fetchedAt      when issuance-service read it from the CA
 */
public record RenewalWindow(String serialNumber, Instant start, Instant end, String explanationUrl, Instant fetchedAt) {

    /** Whether this window was read no earlier than {@code other} (or is of another version, or there is no other). */
    public boolean newerThan(RenewalWindow other) {
        return other == null || !other.serialNumber().equals(serialNumber) || !fetchedAt.isBefore(other.fetchedAt());
    }
}
