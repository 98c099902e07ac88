package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * The CA changed the renewal window it suggests for an issued version (RFC 9773 ACME Renewal
 * Information), or suggested one for a version that had none. Exists so that hosting moves the
 * renewal when the CA asks, earlier included (a CA that plans to revoke certificates moves their window
 * into the past). Raised only on a change, never for a window read again unchanged.
 *
 * @param serialNumber    the version the window is for (lower-case hex, as in {@code CertificateIssued})
 * @param windowStart     start of the suggested window
 * @param windowEnd       end of the suggested window (after the start)
 * @param explanationUrl  the CA's page explaining the window, when it named one
 * @param fetchedAt       when the CA was asked
 */
public record RenewalWindowChanged(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                   String serialNumber, Instant windowStart, Instant windowEnd,
                                   String explanationUrl, Instant fetchedAt)
        implements CertificateEvent {

    public RenewalWindowChanged {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(serialNumber, "serialNumber");
        Require.present(windowStart, "windowStart");
        Require.present(windowEnd, "windowEnd");
        Require.present(fetchedAt, "fetchedAt");
        requireWindow(windowStart, windowEnd, "windowStart", "windowEnd");
    }

    /** Checks that a window is absent, or present with its end after its start. */
    static void requireWindow(Instant start, Instant end, String startField, String endField) {
        if ((start == null) != (end == null)) {
            throw new IllegalArgumentException("'" + startField + "' and '" + endField + "' come together");
        }
        if (start != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("'" + endField + "' must be after '" + startField + "'");
        }
    }
}
