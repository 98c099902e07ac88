package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A certificate version was issued. Carries the public chain and its facts, never the private key
 * (deployment-service fetches that from issuance-service's internal API).
 *
 * @param attemptId            the issuance attempt that produced it
 * @param serialNumber         the leaf serial, lower-case hex without leading zeros
 * @param fingerprintSha256    SHA-256 of the leaf DER, lower-case hex
 * @param notBefore            validity start
 * @param notAfter             validity end
 * @param domains              the names the certificate covers
 * @param issuer               the issuer's distinguished name
 * @param certificateChainPem  leaf first, then intermediates, PEM
 * @param replacesSerialNumber the serial this version renews (absent on first issuance)
 * @param renewalWindowStart   start of the renewal window the CA suggests for this version (RFC 9773 ARI);
 *                             absent when the CA offers no renewal information or it could not be read
 * @param renewalWindowEnd     end of that window; present exactly when {@code renewalWindowStart} is
 * @param renewalExplanationUrl the CA's page explaining the window, when it named one
 */
public record CertificateIssued(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                String attemptId, String serialNumber, String fingerprintSha256,
                                Instant notBefore, Instant notAfter, List<String> domains, String issuer,
                                String certificateChainPem, String replacesSerialNumber,
                                Instant renewalWindowStart, Instant renewalWindowEnd, String renewalExplanationUrl)
        implements CertificateEvent {

    public CertificateIssued {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(attemptId, "attemptId");
        Require.present(serialNumber, "serialNumber");
        Require.present(fingerprintSha256, "fingerprintSha256");
        Require.present(notBefore, "notBefore");
        Require.present(notAfter, "notAfter");
        Require.present(domains, "domains");
        Require.present(certificateChainPem, "certificateChainPem");
        domains = List.copyOf(domains);
        RenewalWindowChanged.requireWindow(renewalWindowStart, renewalWindowEnd, "renewalWindowStart", "renewalWindowEnd");
    }

    /** A version without a renewal window (the CA offers no renewal information). */
    public CertificateIssued(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                             String attemptId, String serialNumber, String fingerprintSha256,
                             Instant notBefore, Instant notAfter, List<String> domains, String issuer,
                             String certificateChainPem, String replacesSerialNumber) {
        this(eventId, occurredAt, accountId, certificateId, attemptId, serialNumber, fingerprintSha256, notBefore,
                notAfter, domains, issuer, certificateChainPem, replacesSerialNumber, null, null, null);
    }

    /** Whether the CA suggested a renewal window for this version. */
    public boolean hasRenewalWindow() {
        return renewalWindowStart != null;
    }
}
