package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * Answer to {@link ChallengeRequested}: the TXT values are served by the authoritative servers
 * ({@code ready = true}), or they could not be published ({@code ready = false}, with a reason).
 *
 * @param attemptId the issuance attempt
 * @param ready     whether the CA may now validate
 * @param reason    why not, when not ready (optional)
 */
public record ChallengeReady(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                             String attemptId, Boolean ready, String reason) implements CertificateEvent {

    public ChallengeReady {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(attemptId, "attemptId");
        Require.present(ready, "ready");
    }
}
