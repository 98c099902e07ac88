package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every domain of a requested certificate is under certflow's control for DNS-01 (delegated by
 * CNAME, or reachable through the account's DNS provider). Issuance may place the ACME order.
 *
 * @param domains each domain with how certflow controls its challenge name
 */
public record DomainsVerified(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                              List<VerifiedDomain> domains) implements CertificateEvent {

    public DomainsVerified {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(domains, "domains");
        domains = List.copyOf(domains);
    }

    /**
     * One verified domain.
     *
     * @param domain           the domain
     * @param method           {@code CNAME_DELEGATION} or {@code DNS_PROVIDER}
     * @param delegationTarget the delegation zone name its challenge CNAME points to (optional)
     */
    public record VerifiedDomain(String domain, String method, String delegationTarget) {
        public VerifiedDomain {
            Require.present(domain, "domain");
            Require.present(method, "method");
        }
    }
}
