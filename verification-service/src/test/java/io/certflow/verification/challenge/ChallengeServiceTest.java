package io.certflow.verification.challenge;

import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.verification.VerificationProperties;
import io.certflow.verification.delegation.DomainAuthorizations;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import io.certflow.verification.persistence.ChallengeRecords;
import io.certflow.verification.persistence.ChallengeRecordsRepository;
import io.certflow.verification.persistence.DomainAuthorization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ChallengeServiceTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String LABEL = "mzxw6ytboimzxw6ytboimzxw6ytboimz";

    private final ChallengeRecordsRepository repository = mock(ChallengeRecordsRepository.class);
    private final DomainAuthorizations authorizations = mock(DomainAuthorizations.class);
    private final MongoTemplate mongo = mock(MongoTemplate.class);
    private final Map<String, List<String>> served = new HashMap<>();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final VerificationProperties properties = new VerificationProperties("acme.certflow.test",
            new VerificationProperties.Dns(true, "127.0.0.1", 0, null, null, Duration.ofSeconds(5),
                    Duration.ofSeconds(1), 1, 0, 0), "127.0.0.1:5353", null,
            new VerificationProperties.Challenge(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(1),
                    Duration.ofDays(1)),
            null, List.of(), null, null);

    private ChallengeService service() {
        return new ChallengeService(repository, authorizations, name -> {
            if (name.startsWith("down")) {
                throw new ServedRecords.ServedRecordsUnavailableException("down");
            }
            return served.getOrDefault(name, List.of());
        }, (name, values) -> Optional.of("no provider in this test"), new ProviderPublisher(repository, null, clock),
                new IdempotentApply(mongo), properties, clock);
    }

    @BeforeEach
    void saveReturnsTheDocument() {
        when(mongo.save(any())).thenAnswer(i -> i.getArgument(0));
    }

    @Test
    void publishesEachValueAtTheDelegationTargetOfItsDomain() {
        DomainAuthorization a = verified("acct", "example.com");
        when(authorizations.find(eq("acct"), anyCollection())).thenReturn(Map.of("example.com", a));

        ChallengeRecords records = service().publish(request("acct",
                new ChallengeRequested.DnsChallenge("example.com", "_acme-challenge.example.com.", "v1"),
                new ChallengeRequested.DnsChallenge("*.example.com", "_acme-challenge.example.com.", "v2")));

        assertThat(records.getState()).isEqualTo(ChallengeRecords.State.PUBLISHED);
        assertThat(records.getDeadline()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(records.getRecords()).extracting(ChallengeRecords.Entry::name).containsOnly(LABEL + ".acme.certflow.test.");
        assertThat(records.getRecords()).extracting(ChallengeRecords.Entry::txtValue).containsExactly("v1", "v2");
        assertThat(records.pendingEvents()).isEmpty(); // ready only once the DNS server serves them
    }

    @Test
    void aDomainNotVerifiedForTheAccountIsRefusedWithAReason() {
        when(authorizations.find(eq("acct"), anyCollection())).thenReturn(Map.of());
        ChallengeRecords records = service().publish(request("acct",
                new ChallengeRequested.DnsChallenge("www.example.com", "_acme-challenge.www.example.com.", "v1")));
        assertThat(records.getState()).isEqualTo(ChallengeRecords.State.FAILED);
        ChallengeReady ready = (ChallengeReady) records.pendingEvents().get(0).event();
        assertThat(ready.ready()).isFalse();
        assertThat(ready.reason()).contains("www.example.com");
    }

    @Test
    void aChallengeNameThatIsNotTheDomainsIsRefused() {
        ChallengeRecords records = service().publish(request("acct",
                new ChallengeRequested.DnsChallenge("www.example.com", "_acme-challenge.evil.example.", "v1")));
        assertThat(records.getState()).isEqualTo(ChallengeRecords.State.FAILED);
        assertThat(records.getReason()).contains("_acme-challenge.www.example.com.");
    }

    @Test
    void checkMarksServedRecordsReadyAndOverdueOnesFailed() {
        ChallengeRecords servedOne = published("att_1", "a.acme.certflow.test.", "v1");
        ChallengeRecords missing = published("att_2", "b.acme.certflow.test.", "v2");
        ChallengeRecords serverDown = published("att_3", "down.acme.certflow.test.", "v3");
        served.put("a.acme.certflow.test.", List.of("other", "v1"));
        when(repository.findByState(ChallengeRecords.State.PUBLISHED)).thenReturn(List.of(servedOne, missing, serverDown));
        when(repository.save(any())).thenAnswer(i -> i.getArgument(0));

        assertThat(service().checkPublished()).as("served, but a cached NXDOMAIN may live for the negative TTL")
                .isZero();
        clock = Clock.offset(clock, Duration.ofSeconds(1));
        assertThat(service().checkPublished()).isEqualTo(1);
        assertThat(servedOne.getState()).isEqualTo(ChallengeRecords.State.READY);
        assertThat(missing.getState()).isEqualTo(ChallengeRecords.State.PUBLISHED);
        assertThat(serverDown.getState()).isEqualTo(ChallengeRecords.State.PUBLISHED);

        clock = Clock.offset(clock, Duration.ofMinutes(3));
        assertThat(service().checkPublished()).isEqualTo(2);
        assertThat(missing.getState()).isEqualTo(ChallengeRecords.State.FAILED);
        assertThat(((ChallengeReady) missing.pendingEvents().get(0).event()).ready()).isFalse();
    }

    @Test
    void aRedeliveredRequestChangesNothing() {
        DomainAuthorization a = verified("acct", "example.com");
        when(authorizations.find(eq("acct"), anyCollection())).thenReturn(Map.of("example.com", a));
        ChallengeRequested event = request("acct",
                new ChallengeRequested.DnsChallenge("example.com", "_acme-challenge.example.com.", "v1"));
        ChallengeRecords first = service().publish(event);
        when(mongo.findById(anyString(), eq(ChallengeRecords.class))).thenReturn(first);
        first.markServed(NOW);
        ChallengeRecords again = service().publish(event);
        assertThat(again.getState()).isEqualTo(ChallengeRecords.State.READY);
        assertThat(again.pendingEvents()).hasSize(1);
    }

    private ChallengeRecords published(String attempt, String name, String value) {
        ChallengeRecords c = ChallengeRecords.create("acct", "crt_1", attempt);
        c.publish(UUID.randomUUID(), List.of(new ChallengeRecords.Entry("example.com", name, value)), NOW,
                NOW.plus(Duration.ofMinutes(2)));
        return c;
    }

    private static ChallengeRequested request(String account, ChallengeRequested.DnsChallenge... challenges) {
        return new ChallengeRequested(UUID.randomUUID(), NOW, account, "crt_1", "att_1", List.of(challenges));
    }

    private static DomainAuthorization verified(String account, String domain) {
        DomainAuthorization a = DomainAuthorization.create(account, domain, LABEL, "acme.certflow.test.", NOW);
        a.recordCheck(new DelegationDiagnosis(domain, DelegationResult.VERIFIED, "ok", a.getDelegationTarget(),
                List.of(a.getDelegationTarget())), NOW);
        return a;
    }
}
