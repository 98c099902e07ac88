package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * One issued version of a certificate was revoked at the CA. Exists so that hosting renews a
 * certificate whose live version was revoked at once (and anyone else, such as alerting, learns of
 * it); a revocation of an older version needs no action.
 *
 * @param serialNumber the revoked version (lower-case hex, as in {@code CertificateIssued})
 * @param reason       the RFC 5280 reason name: {@code unspecified}, {@code keyCompromise},
 *                     {@code affiliationChanged}, {@code superseded}, {@code cessationOfOperation},
 *                     {@code privilegeWithdrawn}
 * @param revokedAt    when the CA accepted the revocation
 */
public record CertificateRevoked(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                 String serialNumber, String reason, Instant revokedAt)
        implements CertificateEvent {

    public CertificateRevoked {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(serialNumber, "serialNumber");
        Require.present(reason, "reason");
        Require.present(revokedAt, "revokedAt");
    }
}
