package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.RenewalAdvice;
import io.certflow.issuance.ca.RenewalWindow;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renewal window refresher's claims and failures on the Mongo wire server, with a scripted CA: while one
 * instance asks the CA another leaves the version alone, and a CA that cannot answer keeps the window known.
 */
class RenewalWindowRefresherTest {

    private static final Instant NOW = Instant.parse("2030-02-01T00:00:00Z");
    private static final RenewalWindow WINDOW = new RenewalWindow(Instant.parse("2030-03-01T00:00:00Z"),
            Instant.parse("2030-03-02T00:00:00Z"), null);

    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private final AtomicInteger asked = new AtomicInteger();
    private InMemoryMongo store;
    private MongoTemplate mongo;
    private CertificateVersionRepository versions;
    private IssuanceAttemptRepository attempts;
    private CertificateVersion version;

    @BeforeEach
    void setUp() throws Exception {
        store = InMemoryMongo.start("refresher-test");
        mongo = store.template();
        MongoRepositoryFactory repositories = new MongoRepositoryFactory(mongo);
        versions = repositories.getRepository(CertificateVersionRepository.class);
        attempts = repositories.getRepository(IssuanceAttemptRepository.class);
        IssuanceAttempt attempt = attempts.insert(IssuanceAttempt.start("att-1", "acc", "crt-1", UUID.randomUUID(),
                AttemptTrigger.FIRST_ISSUANCE, List.of("example.test"), "EC_P256", null, null, NOW));
        ca.finalizeOrder(null, CsrFactory.create(KeyType.EC_P256.generate(), KeyType.EC_P256, List.of("example.test")));
        CertificateChain chain = CertificateChain.parse(ca.downloadCertificate(null));
        version = versions.insert(CertificateVersion.of(attempt, chain, "EC", NOW)
                .withRenewalWindow(WINDOW, NOW, NOW));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void whileOneInstanceAsksTheCaAnotherLeavesTheVersionAlone() {
        RenewalWindowRefresher other = refresher();
        RenewalWindow moved = new RenewalWindow(WINDOW.start().minus(Duration.ofDays(20)), WINDOW.end(), null);
        int[] otherChanged = {-1};
        ca.renewalInfo = (account, pem) -> {
            if (asked.incrementAndGet() == 1) {
                otherChanged[0] = other.refreshDue(); // the second instance runs while the first waits for the CA
            }
            return Optional.of(new RenewalAdvice(moved, NOW.plus(Duration.ofHours(1))));
        };

        int changed = refresher().refreshDue();

        assertThat(changed).isEqualTo(1);
        assertThat(otherChanged[0]).isZero();
        assertThat(asked).hasValue(1);
        CertificateVersion stored = versions.findById(version.getId()).orElseThrow();
        assertThat(stored.renewalWindow()).isEqualTo(moved);
        assertThat(stored.getNextRenewalInfoCheckAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(stored.pendingEvents()).hasSize(1);
    }

    @Test
    void aCaThatCannotAnswerKeepsTheKnownWindow_andIsAskedAgainAtItsRetryAfter() {
        ca.renewalInfo = (account, pem) -> {
            asked.incrementAndGet();
            throw new CaTransientException("fetch renewal information: CA answered HTTP 503", null,
                    NOW.plus(Duration.ofMinutes(30)), null);
        };

        assertThat(refresher().refreshDue()).isZero();

        CertificateVersion stored = versions.findById(version.getId()).orElseThrow();
        assertThat(asked).hasValue(1);
        assertThat(stored.renewalWindow()).isEqualTo(WINDOW);
        assertThat(stored.getNextRenewalInfoCheckAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(stored.pendingEvents()).isEmpty();
    }

    private RenewalWindowRefresher refresher() {
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        KeyPair accountKey = KeyType.EC_P256.generate();
        CaAccounts accounts = new CaAccounts() {
            @Override
            public CaAccount accountFor(String accountId, CaProfile profile) {
                return new CaAccount(URI.create("https://ca.test/acct/" + accountId), accountKey);
            }

            @Override
            public void forget(String accountId, CaProfile profile) {
            }
        };
        return new RenewalWindowRefresher(mongo, versions, attempts, profiles, accounts, RenewalInfoCheck.DEFAULTS,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(2), 20);
    }
}
