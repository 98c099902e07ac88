package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * An issuance attempt ended without a certificate.
 *
 * @param attemptId   the attempt
 * @param reason      a sentence a person can act on
 * @param problemType the RFC 7807 problem type from the CA, or a certflow reason code (optional)
 * @param retryable   whether trying again later can help
 */
public record IssuanceFailed(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                             String attemptId, String reason, String problemType, Boolean retryable)
        implements CertificateEvent {

    public IssuanceFailed {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(attemptId, "attemptId");
        Require.present(reason, "reason");
        retryable = retryable != null && retryable;
    }
}
