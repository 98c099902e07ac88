package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The CA asks for DNS-01 proofs: verification-service publishes each TXT value at the domain's
 * challenge name (through its delegation or DNS provider) and answers with {@link ChallengeReady}.
 *
 * @param attemptId  the issuance attempt the challenges belong to
 * @param challenges one TXT value per authorization; apex and wildcard may share a name
 */
public record ChallengeRequested(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                 String attemptId, List<DnsChallenge> challenges) implements CertificateEvent {

    public ChallengeRequested {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(attemptId, "attemptId");
        Require.present(challenges, "challenges");
        challenges = List.copyOf(challenges);
    }

    /**
     * One DNS-01 challenge.
     *
     * @param domain     the identifier, e.g. {@code www.example.com} (wildcard without {@code *.})
     * @param recordName {@code _acme-challenge.<domain>.}
     * @param txtValue   the digest the CA expects in the TXT record
     */
    public record DnsChallenge(String domain, String recordName, String txtValue) {
        public DnsChallenge {
            Require.present(domain, "domain");
            Require.present(recordName, "recordName");
            Require.present(txtValue, "txtValue");
        }
    }
}
