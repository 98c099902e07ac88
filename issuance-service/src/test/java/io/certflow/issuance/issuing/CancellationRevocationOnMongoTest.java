package io.certflow.issuance.issuing;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.testsupport.InMemoryMongo;
import io.certflow.testsupport.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code OrderCancelled.revoke} end to end inside issuance-service, on the Mongo wire server with the real
 * {@link AttemptStarter}, {@link PendingRevocations} and {@link Revocations} and a scripted CA: the listener only marks
 * the live versions, the scheduled job revokes each once (reason {@code cessationOfOperation}), also one stored by a
 * step that outran the cancellation, a replay asks for nothing, a CA that is down is asked again after the backoff,
 * and a CA refusal ends the request.
 */
class CancellationRevocationOnMongoTest {

    private static final Instant T0 = Instant.parse("2030-02-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final KeyPair ACCOUNT_KEY = KeyType.EC_P256.generate();

    private InMemoryMongo store;
    private CertificateVersionRepository versions;
    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private Instant now = T0;
    private AttemptStarter starter;
    private PendingRevocations pending;

    @BeforeEach
    void setUp() {
        store = InMemoryMongo.start("cancellation-revocation-test");
        MongoTemplate mongo = store.template();
        MongoRepositoryFactory repositories = new MongoRepositoryFactory(mongo);
        versions = repositories.getRepository(CertificateVersionRepository.class);
        IssuanceAttemptRepository attempts = repositories.getRepository(IssuanceAttemptRepository.class);
        SettableClock clock = SettableClock.reading(() -> now);
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        Revocations revocations = new Revocations(versions, attempts, profiles,
                StepperDoubles.fixedAccounts(ACCOUNT_KEY), clock);
        pending = new PendingRevocations(mongo, versions, revocations,
                new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 3), clock, LEASE, 20);
        starter = new AttemptStarter(new IdempotentApply(mongo), attempts, pending, clock);
        starter.requested(new CertificateRequested(UUID.randomUUID(), T0, "acc", "crt-1", "ord-1",
                List.of("example.test"), "dv-single", 1, null, true, null, "EC_P256"));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void revokeTrue_revokesEveryLiveVersionOnce_andAReplayRevokesNothingTwice() {
        CertificateVersion older = storeVersion("att-1");
        CertificateVersion live = storeVersion("att-2");
        CertificateVersion revokedBefore = storeVersion("att-3", v -> v.revoked("keyCompromise", T0.minusSeconds(60)));
        OrderCancelled cancelled = cancelled(true);

        starter.orderCancelled(cancelled);

        assertThat(revokeCalls()).as("the listener never calls the CA").isEmpty();
        assertThat(reload(older).getNextRevocationTryAt()).isEqualTo(T0);
        assertThat(reload(live).getRevocationRequestedReason()).isEqualTo("cessationOfOperation");
        assertThat(reload(revokedBefore).getRevocationRequestedAt()).isNull();

        assertThat(pending.revokeDue()).isEqualTo(2);

        assertThat(revokeCalls()).containsExactly("revoke:cessationOfOperation", "revoke:cessationOfOperation");
        for (CertificateVersion v : List.of(reload(older), reload(live))) {
            assertThat(v.isRevoked()).isTrue();
            assertThat(v.getRevocationReason()).isEqualTo("cessationOfOperation");
            assertThat(v.getNextRevocationTryAt()).isNull();
            assertThat(v.pendingEvents()).singleElement().satisfies(m -> {
                CertificateRevoked event = (CertificateRevoked) m.event();
                assertThat(event.serialNumber()).isEqualTo(v.getSerialNumber());
                assertThat(event.reason()).isEqualTo("cessationOfOperation");
                assertThat(event.accountId()).isEqualTo("acc");
            });
        }
        assertThat(reload(revokedBefore).getRevocationReason()).isEqualTo("keyCompromise");

        // the same event again, and a second cancellation asking for revocation: nothing is asked twice
        starter.orderCancelled(cancelled);
        starter.orderCancelled(cancelled(true));
        now = now.plus(Duration.ofMinutes(10));
        assertThat(pending.revokeDue()).isZero();
        assertThat(revokeCalls()).hasSize(2);
        assertThat(reload(live).pendingEvents()).hasSize(1);
        assertThat(reload(older).pendingEvents()).hasSize(1);
    }

    @Test
    void aVersionStoredByAStepThatOutranTheCancellationIsRevokedToo() {
        starter.orderCancelled(cancelled(true));
        assertThat(pending.revokeDue()).isZero();

        // a step claimed before the cancellation stores the version the CA just issued (its outcome is dropped)
        now = now.plusSeconds(30);
        CertificateVersion late = storeVersion("att-late");
        assertThat(pending.revokeDue()).isEqualTo(1);
        assertThat(reload(late).getRevocationReason()).isEqualTo("cessationOfOperation");

        // no step outlives two claim leases: later versions are not looked for
        now = T0.plus(LEASE.multipliedBy(2)).plusSeconds(1);
        CertificateVersion muchLater = storeVersion("att-much-later");
        assertThat(pending.revokeDue()).isZero();
        assertThat(reload(muchLater).getRevocationRequestedAt()).isNull();
        assertThat(revokeCalls()).hasSize(1);
    }

    @Test
    void revokeFalse_revokesNothing() {
        CertificateVersion live = storeVersion("att-1");

        starter.orderCancelled(cancelled(false));
        pending.revokeDue();

        assertThat(revokeCalls()).isEmpty();
        assertThat(reload(live).getRevocationRequestedAt()).isNull();
        assertThat(reload(live).isRevoked()).isFalse();
        assertThat(reload(live).pendingEvents()).isEmpty();
    }

    @Test
    void anExpiredVersionIsNotRevoked() {
        CertificateVersion version = storeVersion("att-1");
        now = version.getNotAfter().plusSeconds(1);

        starter.orderCancelled(cancelled(true));
        pending.revokeDue();

        assertThat(revokeCalls()).isEmpty();
        assertThat(reload(version).getRevocationRequestedAt()).isNull();
    }

    @Test
    void aCaThatIsDownIsAskedAgainAfterTheBackoff_untilItRevokes() {
        CertificateVersion live = storeVersion("att-1");
        starter.orderCancelled(cancelled(true));

        ca.nextRevokeFailure = new CaTransientException("connect timed out", null, null, null);
        assertThat(pending.revokeDue()).isZero();
        CertificateVersion postponed = reload(live);
        assertThat(postponed.isRevoked()).isFalse();
        assertThat(postponed.getRevocationTries()).isEqualTo(1);
        assertThat(postponed.getNextRevocationTryAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(postponed.getRevocationProblem()).isEqualTo("the CA could not be reached: connect timed out");
        assertThat(postponed.pendingEvents()).isEmpty();

        // not before its time; then the CA is still down and asks for a minute (Retry-After wins over 4 s)
        pending.revokeDue();
        assertThat(revokeCalls()).hasSize(1);
        now = T0.plusSeconds(2);
        ca.nextRevokeFailure = new CaTransientException("503", null, now.plusSeconds(60), null);
        pending.revokeDue();
        assertThat(reload(live).getNextRevocationTryAt()).isEqualTo(now.plusSeconds(60));
        assertThat(reload(live).getRevocationTries()).isEqualTo(2);

        now = now.plusSeconds(60);
        assertThat(pending.revokeDue()).isEqualTo(1);
        CertificateVersion revoked = reload(live);
        assertThat(revoked.isRevoked()).isTrue();
        assertThat(revoked.getNextRevocationTryAt()).isNull();
        assertThat(revoked.pendingEvents()).singleElement()
                .satisfies(m -> assertThat(m.event()).isInstanceOf(CertificateRevoked.class));
        assertThat(revokeCalls()).hasSize(3);
    }

    @Test
    void aCaThatRevokedItAlreadyIsRecorded_anotherRefusalEndsTheRequest() {
        CertificateVersion known = storeVersion("att-1");
        CertificateVersion refused = storeVersion("att-2");
        starter.orderCancelled(cancelled(true));

        ca.nextRevokeFailure = new CaRefusedException(new CaProblem(CaProblem.ACME_ERROR_PREFIX + "alreadyRevoked",
                "Certificate already revoked"), false);
        pending.revokeDue(); // the oldest due first: both are due at T0; one gets the refusal
        ca.nextRevokeFailure = null;

        List<CertificateVersion> both = List.of(reload(known), reload(refused));
        assertThat(both).allSatisfy(v -> {
            assertThat(v.isRevoked()).isTrue();
            assertThat(v.getRevocationReason()).isEqualTo("cessationOfOperation");
            assertThat(v.pendingEvents()).hasSize(1);
        });

        CertificateVersion third = storeVersion("att-3");
        starter.orderCancelled(cancelled(true));
        ca.nextRevokeFailure = new CaRefusedException(new CaProblem(CaProblem.ACME_ERROR_PREFIX + "unauthorized",
                "not your certificate"), false);
        assertThat(pending.revokeDue()).isZero();
        now = now.plus(Duration.ofHours(1));
        pending.revokeDue();

        CertificateVersion ended = reload(third);
        assertThat(ended.isRevoked()).isFalse();
        assertThat(ended.getNextRevocationTryAt()).as("not asked again").isNull();
        assertThat(ended.getRevocationProblem())
                .isEqualTo("the CA refused: urn:ietf:params:acme:error:unauthorized - not your certificate");
        assertThat(revokeCalls()).hasSize(3);
    }

    private OrderCancelled cancelled(boolean revoke) {
        return new OrderCancelled(UUID.randomUUID(), now, "acc", "crt-1", "ord-1", "refunded", revoke);
    }

    private CertificateVersion storeVersion(String attemptId) {
        return storeVersion(attemptId, v -> { });
    }

    private CertificateVersion storeVersion(String attemptId, java.util.function.Consumer<CertificateVersion> change) {
        try {
            IssuanceAttempt attempt = IssuanceAttempt.start(attemptId, "acc", "crt-1", UUID.randomUUID(),
                    AttemptTrigger.FIRST_ISSUANCE, List.of("example.test"), "EC_P256", null, null, now);
            ca.placeOrder(new CaAccount(URI.create("https://ca.test/acct/acc"), ACCOUNT_KEY), List.of("example.test"),
                    Optional.empty()); // a new serial
            ca.finalizeOrder(null, CsrFactory.create(KeyType.EC_P256.generate(), KeyType.EC_P256, List.of("example.test")));
            CertificateVersion version = CertificateVersion.of(attempt, CertificateChain.parse(ca.downloadCertificate(null)),
                    "EC", now);
            change.accept(version);
            return versions.insert(version);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CertificateVersion reload(CertificateVersion version) {
        return versions.findById(version.getId()).orElseThrow();
    }

    private List<String> revokeCalls() {
        return ca.calls.stream().filter(c -> c.startsWith("revoke")).toList();
    }
}
