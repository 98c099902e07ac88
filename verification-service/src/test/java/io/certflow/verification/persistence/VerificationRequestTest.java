package io.certflow.verification.persistence;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class VerificationRequestTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private final CertificateRequested event = new CertificateRequested(UUID.randomUUID(), NOW, "acct", "crt_1",
            "ord_1", List.of("example.com", "*.example.com", "www.example.org"), "dv-single", 1,
            NOW.plusSeconds(86400 * 365), true, null, null);

    @Test
    void waitsUntilEveryAuthorizationIsVerifiedThenRaisesDomainsVerifiedOnce() {
        VerificationRequest request = VerificationRequest.create("crt_1", "acct");
        request.request(event, event.domains(), List.of("example.com", "www.example.org"), null, NOW);
        DomainAuthorization com = authorization("acct", "example.com", true);
        DomainAuthorization org = authorization("acct", "www.example.org", false);

        assertThat(request.releaseIfVerified(Map.of("example.com", com, "www.example.org", org), NOW)).isFalse();
        assertThat(request.releaseIfVerified(Map.of("example.com", com), NOW)).isFalse();
        assertThat(request.isWaiting()).isTrue();
        assertThat(request.pendingEvents()).isEmpty();

        org = authorization("acct", "www.example.org", true);
        assertThat(request.releaseIfVerified(Map.of("example.com", com, "www.example.org", org), NOW)).isTrue();
        assertThat(request.releaseIfVerified(Map.of("example.com", com, "www.example.org", org), NOW)).isFalse();

        assertThat(request.pendingEvents()).hasSize(1);
        DomainsVerified verified = (DomainsVerified) request.pendingEvents().get(0).event();
        assertThat(verified.certificateId()).isEqualTo("crt_1");
        assertThat(verified.accountId()).isEqualTo("acct");
        assertThat(verified.domains()).extracting(DomainsVerified.VerifiedDomain::domain)
                .containsExactly("example.com", "*.example.com", "www.example.org");
        assertThat(verified.domains().get(1).delegationTarget()).isEqualTo(com.getDelegationTarget());
        assertThat(verified.domains()).allMatch(d -> d.method().equals("CNAME_DELEGATION"));
    }

    @Test
    void aChosenMethodCountsOnlyAuthorizationsVerifiedByIt() {
        DomainAuthorization delegated = authorization("acct", "example.com", true);
        DomainAuthorization provided = authorization("acct", "example.com", false);
        provided.useProvider("dnscred_1");
        provided.recordCheck(new DelegationDiagnosis("example.com", DelegationResult.VERIFIED, "ok", "zone", List.of()), NOW);

        VerificationRequest byProvider = VerificationRequest.create("crt_1", "acct");
        byProvider.request(event, List.of("example.com"), List.of("example.com"), "DNS_PROVIDER", NOW);
        assertThat(byProvider.getNextMethodCheckAt()).as("a credential is looked for at once").isEqualTo(NOW);
        assertThat(byProvider.releaseIfVerified(Map.of("example.com", delegated), NOW)).as("no fallback to CNAME").isFalse();
        assertThat(byProvider.releaseIfVerified(Map.of("example.com", provided), NOW)).isTrue();
        assertThat(((DomainsVerified) byProvider.pendingEvents().get(0).event()).domains())
                .allSatisfy(d -> assertThat(d.method()).isEqualTo("DNS_PROVIDER"));
        assertThat(byProvider.getNextMethodCheckAt()).isNull();

        VerificationRequest byCname = VerificationRequest.create("crt_2", "acct");
        byCname.request(event, List.of("example.com"), List.of("example.com"), "CNAME_DELEGATION", NOW);
        assertThat(byCname.getNextMethodCheckAt()).isNull();
        assertThat(byCname.releaseIfVerified(Map.of("example.com", provided), NOW)).isFalse();
        assertThat(byCname.releaseIfVerified(Map.of("example.com", delegated), NOW)).isTrue();

        VerificationRequest either = VerificationRequest.create("crt_3", "acct");
        either.request(event, List.of("example.com"), List.of("example.com"), null, NOW);
        assertThat(either.releaseIfVerified(Map.of("example.com", provided), NOW)).isTrue();
    }

    @Test
    void anotherAccountsAuthorizationNeverCounts() {
        VerificationRequest request = VerificationRequest.create("crt_1", "acct");
        request.request(event, List.of("example.com"), List.of("example.com"), null, NOW);
        assertThat(request.releaseIfVerified(Map.of("example.com", authorization("other", "example.com", true)), NOW))
                .isFalse();
    }

    @Test
    void theEventIdDependsOnTheRequestSoARedeliveryCollapses() {
        VerificationRequest a = VerificationRequest.create("crt_1", "acct");
        VerificationRequest b = VerificationRequest.create("crt_1", "acct");
        Map<String, DomainAuthorization> ok = Map.of("example.com", authorization("acct", "example.com", true));
        a.request(event, List.of("example.com"), List.of("example.com"), null, NOW);
        b.request(event, List.of("example.com"), List.of("example.com"), null, NOW);
        a.releaseIfVerified(ok, NOW);
        b.releaseIfVerified(ok, NOW);
        assertThat(a.pendingEvents().get(0).eventId()).isEqualTo(b.pendingEvents().get(0).eventId());
    }

    private static DomainAuthorization authorization(String account, String domain, boolean verified) {
        DomainAuthorization a = DomainAuthorization.create(account, domain, "mzxw6ytboimzxw6ytboimzxw6ytboi" + domain.length(),
                "acme.certflow.test.", NOW);
        if (verified) {
            a.recordCheck(new DelegationDiagnosis(domain, DelegationResult.VERIFIED, "ok", a.getDelegationTarget(),
                    List.of(a.getDelegationTarget())), NOW);
        }
        return a;
    }
}
