package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * A certificate is close to expiry and has not been renewed: an alert for people.
 *
 * @param serialNumber the version that expires
 * @param notAfter     when it expires
 * @param daysLeft     whole days left
 * @param reason       why this alert was raised
 */
public record CertificateExpiring(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                  String serialNumber, Instant notAfter, Long daysLeft, String reason)
        implements CertificateEvent {

    public CertificateExpiring {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(serialNumber, "serialNumber");
        Require.present(notAfter, "notAfter");
    }
}
