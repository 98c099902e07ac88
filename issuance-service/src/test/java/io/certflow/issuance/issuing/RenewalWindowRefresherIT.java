package io.certflow.issuance.issuing;

import io.certflow.devstack.AriEndpoint;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.PebbleProcess;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.acme.AcmeCertificateAuthority;
import io.certflow.issuance.ca.acme.PebbleIssuing;
import io.certflow.issuance.ca.acme.PebbleWithAri;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.platform.outbox.OutboxMessage;
import io.certflow.testsupport.SettableClock;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renewal window refresher on the Mongo wire server against real Pebble 2.4 behind devstack's
 * {@link AriEndpoint} (the RFC 9773 responses Pebble lacks), with a clock moved by hand: a moved window
 * raises exactly one {@code RenewalWindowChanged}, an unchanged one none, and the CA's {@code Retry-After}
 * decides when it is asked again.
 */
class RenewalWindowRefresherIT {

    @TempDir
    static Path stackDir;
    private static PebbleWithAri fixture;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    private static AriEndpoint ari;
    private static AcmeCertificateAuthority ca;
    private static CaAccount account;
    private static CertificateChain chain;
    private InMemoryMongo store;
    private CertificateVersionRepository versions;
    private RenewalWindowRefresher refresher;
    private RenewalInfoCheck check;
    private Instant now;

    @BeforeAll
    static void issueAtPebble() throws Exception {
        fixture = PebbleWithAri.start(stackDir);
        bind = fixture.bind();
        pebble = fixture.pebble();
        ari = fixture.ari();
        ca = fixture.ca();
        account = fixture.account();
        chain = PebbleIssuing.issue(ca, account, bind, pebble,
                List.of("refresh-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test"));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void setUp() {
        store = InMemoryMongo.start("ari-test");
        MongoTemplate mongo = store.template();
        MongoRepositoryFactory repositories = new MongoRepositoryFactory(mongo);
        versions = repositories.getRepository(CertificateVersionRepository.class);
        IssuanceAttemptRepository attempts = repositories.getRepository(IssuanceAttemptRepository.class);
        now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Clock clock = SettableClock.reading(() -> now);
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", ari.directoryUrl(), ca, Optional.empty()));
        CaAccounts accounts = new CaAccounts() {
            @Override
            public CaAccount accountFor(String accountId, CaProfile profile) {
                return account;
            }

            @Override
            public void forget(String accountId, CaProfile profile) {
            }
        };
        check = new RenewalInfoCheck(Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofHours(6));
        refresher = new RenewalWindowRefresher(mongo, versions, attempts, profiles, accounts, check, clock,
                Duration.ofMinutes(2), 20);
        IssuanceAttempt attempt = attempts.insert(IssuanceAttempt.start("att-" + UUID.randomUUID(), "acc", "crt-1",
                UUID.randomUUID(), AttemptTrigger.FIRST_ISSUANCE, chain.dnsNames(), "EC_P256", null, null, now));
        ari.retryAfter(Duration.ofMinutes(1));
        ari.suggest(chain.serialNumber(), now.plus(Duration.ofDays(60)).truncatedTo(ChronoUnit.SECONDS),
                now.plus(Duration.ofDays(62)).truncatedTo(ChronoUnit.SECONDS), AriEndpoint.DEFAULT_EXPLANATION_URL);
        // as the stepper stores it at issuance
        RenewalInfoCheck.Outcome atIssuance = check.check(ca.renewalInformation(), account, chain.pem(), now);
        versions.insert(CertificateVersion.of(attempt, chain, "EC", now)
                .withRenewalWindow(atIssuance.window(), atIssuance.nextCheckAt(), now));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aMovedWindowRaisesOneEvent_anUnchangedOneNone_andRetryAfterDecidesWhenToAskAgain() {
        int asked = ari.answered(chain.serialNumber());
        Instant earlier = now.plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        ari.suggest(chain.serialNumber(), earlier, earlier.plus(Duration.ofHours(12)), "https://ca.test/incident-42");
        ari.retryAfter(Duration.ofHours(2));

        now = now.plusSeconds(30); // before the CA's Retry-After of 1 minute
        assertThat(refresher.refreshDue()).isZero();
        assertThat(ari.answered(chain.serialNumber())).as("not asked before Retry-After").isEqualTo(asked);

        now = now.plusSeconds(45);
        Instant askedFrom = Instant.now();
        assertThat(refresher.refreshDue()).isEqualTo(1);
        Instant askedUntil = Instant.now();

        CertificateVersion moved = version();
        assertThat(ari.answered(chain.serialNumber())).isEqualTo(asked + 1);
        assertThat(moved.getRenewalWindowStart()).isEqualTo(earlier);
        assertThat(moved.getRenewalWindowEnd()).isEqualTo(earlier.plus(Duration.ofHours(12)));
        assertThat(moved.getRenewalExplanationUrl()).isEqualTo("https://ca.test/incident-42");
        assertThat(moved.getNextRenewalInfoCheckAt()).as("the CA's Retry-After of 2 hours")
                .isBetween(askedFrom.plus(Duration.ofHours(2)).minusSeconds(1), askedUntil.plus(Duration.ofHours(2)).plusSeconds(1));
        assertThat(changes(moved)).singleElement().satisfies(e -> {
            assertThat(e.certificateId()).isEqualTo("crt-1");
            assertThat(e.accountId()).isEqualTo("acc");
            assertThat(e.serialNumber()).isEqualTo(chain.serialNumber());
            assertThat(e.windowStart()).isEqualTo(earlier);
            assertThat(e.windowEnd()).isEqualTo(earlier.plus(Duration.ofHours(12)));
            assertThat(e.explanationUrl()).isEqualTo("https://ca.test/incident-42");
            assertThat(e.fetchedAt()).isEqualTo(now);
        });

        now = now.plus(Duration.ofHours(1));
        assertThat(refresher.refreshDue()).as("Retry-After not reached").isZero();
        assertThat(ari.answered(chain.serialNumber())).isEqualTo(asked + 1);

        now = now.plus(Duration.ofHours(1)).plusSeconds(10);
        assertThat(refresher.refreshDue()).as("asked again, window unchanged").isZero();
        assertThat(ari.answered(chain.serialNumber())).isEqualTo(asked + 2);
        assertThat(changes(version())).hasSize(1);
    }

    @Test
    void aRetryAfterBeyondADayIsHeldToADay() {
        ari.retryAfter(Duration.ofDays(30));
        now = now.plus(Duration.ofMinutes(2));

        refresher.refreshDue();

        assertThat(version().getNextRenewalInfoCheckAt()).isEqualTo(now.plus(Duration.ofDays(1)));
        assertThat(changes(version())).isEmpty();
    }

    @Test
    void aRevokedVersionIsNoLongerFollowed() {
        CertificateVersion v = version();
        v.revoked("keyCompromise", now);
        versions.save(v);
        int asked = ari.answered(chain.serialNumber());
        now = now.plus(Duration.ofMinutes(2));

        assertThat(refresher.refreshDue()).isZero();

        assertThat(ari.answered(chain.serialNumber())).isEqualTo(asked);
        assertThat(version().getNextRenewalInfoCheckAt()).isNull();
    }

    private CertificateVersion version() {
        return versions.findById(CertificateVersion.idOf("crt-1", chain.serialNumber())).orElseThrow();
    }

    private static List<RenewalWindowChanged> changes(CertificateVersion version) {
        return version.pendingEvents().stream().map(OutboxMessage::event)
                .filter(RenewalWindowChanged.class::isInstance).map(RenewalWindowChanged.class::cast).toList();
    }
}
