package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * A hosted certificate should be renewed now. The event id is derived from the certificate and
 * its current serial, so a duplicate for the same version collapses into one issuance attempt.
 *
 * @param currentSerialNumber the serial being replaced
 * @param dueAt               the renewal time that was reached
 * @param reason              why it is due, for people
 * @param manual              whether a person asked for it
 */
public record RenewalDue(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                         String currentSerialNumber, Instant dueAt, String reason, Boolean manual)
        implements CertificateEvent {

    public RenewalDue {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(currentSerialNumber, "currentSerialNumber");
        manual = manual != null && manual;
    }
}
