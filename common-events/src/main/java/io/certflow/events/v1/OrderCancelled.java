package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * An order was cancelled: hosting stops renewing, deployment stops deploying, and issuance revokes
 * the live certificate if {@code revoke} is set.
 *
 * @param orderId the cancelled order
 * @param reason  why, for people (optional)
 * @param revoke  whether the live certificate should be revoked
 */
public record OrderCancelled(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                             String orderId, String reason, Boolean revoke) implements CertificateEvent {

    public OrderCancelled {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(orderId, "orderId");
        revoke = revoke != null && revoke;
    }
}
