package io.certflow.issuance.issuing;

import io.certflow.events.v1.ChallengeRequested;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.platform.outbox.OutboxMessage;
import io.certflow.testsupport.SettableClock;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One ACME order per attempt across crashes, with the real poller, stepper and {@link StoredOrderIntents} on the
 * Mongo wire server and a scripted CA that can "die" after it created an order (an {@link Error} thrown out of the
 * poller, so nothing after the CA call is written, as with {@code kill -9}) or lose the answer (a timeout).
 */
class OrderIntentsOnMongoTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(2);

    /** The process dies here. */
    static final class Crash extends Error {
        Crash() {
            super("kill -9");
        }
    }
    private InMemoryMongo store;
    private MongoTemplate mongo;
    private IssuanceAttemptRepository attempts;
    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private final KeyPair accountKey = KeyType.EC_P256.generate();
    private Instant now = T0;
    private AttemptPoller poller;
    private AttemptStepper stepper;
    private Clock clock;

    @BeforeEach
    void setUp() {
        store = InMemoryMongo.start("order-intents-test");
        mongo = store.template();
        attempts = new MongoRepositoryFactory(mongo).getRepository(IssuanceAttemptRepository.class);
        clock = SettableClock.reading(() -> now);
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        CaAccounts accounts = StepperDoubles.fixedAccounts(accountKey);
        VersionStore versions = StepperDoubles.noVersions();
        KeyVault vault = new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(new byte[32])));
        stepper = new AttemptStepper(profiles, accounts, vault, versions,
                new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 5),
                new AttemptStepper.Timing(Duration.ofMillis(200), Duration.ofMinutes(30), Duration.ofMinutes(10)), clock)
                .withOrderIntents(new StoredOrderIntents(attempts, mongo));
        poller = new AttemptPoller(mongo, attempts, stepper, clock, LEASE, 20);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void dueAttemptsAreSteppedSeveralAtATime_eachOnceWithOneOrder() {
        for (int i = 1; i <= 8; i++) {
            attempts.insert(newAttempt("a-" + i, "crt-" + i, "acc"));
        }
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        ca.onPlace = () -> {
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(300); // a CA round trip
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
        };

        try (AttemptPoller concurrent = new AttemptPoller(mongo, attempts, stepper, clock, LEASE, 20, 4,
                new io.certflow.platform.polling.PollGate(Duration.ZERO))) {
            assertThat(concurrent.pollDue()).isEqualTo(8);
        }

        assertThat(mostAtOnce.get()).as("steps overlap, at most step-concurrency of them").isBetween(2, 4);
        assertThat(ca.ordersCreated()).isEqualTo(8);
        assertThat(attempts.findAll()).hasSize(8).allSatisfy(a -> {
            assertThat(a.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
            assertThat(a.getOrderUrl()).startsWith("https://ca.test/order/");
        });
        assertThat(attempts.findAll().stream().map(IssuanceAttempt::getOrderUrl).distinct()).hasSize(8);
    }

    @Test
    void aPollerThatFoundNothingRestsUntilAnAttemptIsSavedHere() throws InterruptedException {
        io.certflow.platform.polling.PollGate gate = new io.certflow.platform.polling.PollGate(Duration.ofMinutes(5));
        mongo.setEntityCallbacks(org.springframework.data.mapping.callback.EntityCallbacks.create(new AttemptSaves(gate)));
        try (AttemptPoller concurrent = new AttemptPoller(mongo, attempts, stepper, clock, LEASE, 20, 2, gate)) {
            concurrent.feed();
            assertThat(gate.isQuiet()).as("nothing due: the scheduled look rests").isTrue();

            IssuanceAttempt attempt = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
            assertThat(gate.isQuiet()).as("an attempt that needs the CA was saved here").isFalse();
            concurrent.feed();
            for (int i = 0; i < 100 && reload(attempt).getState() == AttemptState.NEW; i++) {
                Thread.sleep(50);
            }
            assertThat(reload(attempt).getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        }
    }

    @Test
    void theIntentIsStoredBeforeTheCaIsAskedAndTheOrderIsStoredWithOneWrite() {
        IssuanceAttempt attempt = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        List<Instant> intentSeenByCa = new ArrayList<>();
        ca.onPlace = () -> intentSeenByCa.add(reload(attempt).getOrderIntentAt());

        poller.pollDue();

        assertThat(intentSeenByCa).containsExactly(T0);
        IssuanceAttempt placed = reload(attempt);
        assertThat(placed.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(placed.getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(ca.calls).doesNotContain("list");
    }

    @Test
    void aCrashAfterTheCaCreatedTheOrderIsFollowedByAdoptingThatOrderNotBySecond() {
        IssuanceAttempt attempt = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        ca.loseNextPlaceAnswer = new Crash();

        assertThatThrownBy(poller::pollDue).isInstanceOf(Crash.class);
        IssuanceAttempt crashed = reload(attempt);
        assertThat(crashed.getState()).isEqualTo(AttemptState.NEW);
        assertThat(crashed.getOrderIntentAt()).isEqualTo(T0);
        assertThat(crashed.getOrderUrl()).isNull();

        now = T0.plus(LEASE).plusSeconds(1); // the restarted service takes the attempt once the lease ran out
        poller.pollDue();

        IssuanceAttempt recovered = reload(attempt);
        assertThat(recovered.getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(recovered.getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(ca.ordersCreated()).as("orders created at the CA").isEqualTo(1);
        assertThat(recovered.pendingEvents()).map(OutboxMessage::event).singleElement()
                .isInstanceOfSatisfying(ChallengeRequested.class, r -> assertThat(r.challenges()).hasSize(1));
    }

    @Test
    void aLostAnswerIsATransientFailureAndTheRetryAdoptsTheOrder() {
        IssuanceAttempt attempt = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        ca.failAfterNextPlace = new CaTransientException("read timed out", null, null, null);

        poller.pollDue();
        assertThat(reload(attempt).getTransientFailures()).isEqualTo(1);

        now = T0.plusSeconds(3);
        poller.pollDue();

        assertThat(reload(attempt).getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(ca.ordersCreated()).isEqualTo(1);
    }

    @Test
    void aCrashBeforeTheCaCreatedAnythingPlacesTheOrderOnRestart() {
        IssuanceAttempt attempt = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        ca.nextPlaceAnswer = new Crash();

        assertThatThrownBy(poller::pollDue).isInstanceOf(Crash.class);
        now = T0.plus(LEASE).plusSeconds(1);
        poller.pollDue();

        assertThat(ca.calls).containsSubsequence("place", "list", "place");
        assertThat(reload(attempt).getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(ca.ordersCreated()).isEqualTo(1);
    }

    @Test
    void anOpenOrderAnotherAttemptHoldsIsNeverAdopted() {
        IssuanceAttempt first = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        poller.pollDue();
        assertThat(reload(first).getOrderUrl()).isEqualTo("https://ca.test/order/1");

        IssuanceAttempt second = attempts.insert(newAttempt("a-2", "crt-2", "acc")); // same account, same domains
        ca.loseNextPlaceAnswer = new Crash();
        assertThatThrownBy(poller::pollDue).isInstanceOf(Crash.class);
        now = T0.plus(LEASE).plusSeconds(1);
        poller.pollDue();

        assertThat(reload(second).getOrderUrl()).isEqualTo("https://ca.test/order/2");
        assertThat(reload(first).getOrderUrl()).isEqualTo("https://ca.test/order/1");
        assertThat(ca.ordersCreated()).isEqualTo(2);
    }

    @Test
    void twoRunningAttemptsThatBothLostAnOrderForTheSameDomainsDoNotGuessWhoseIsWhich_theFirstOrdersAgain() {
        IssuanceAttempt first = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        IssuanceAttempt second = attempts.insert(newAttempt("a-2", "crt-2", "acc"));
        ca.loseNextPlaceAnswer = new Crash();
        assertThatThrownBy(poller::pollDue).isInstanceOf(Crash.class);
        ca.loseNextPlaceAnswer = new Crash();
        assertThatThrownBy(poller::pollDue).isInstanceOf(Crash.class);
        assertThat(reload(first).getOrderIntentAt()).isNotNull();
        assertThat(reload(second).getOrderIntentAt()).isNotNull();

        now = T0.plus(LEASE).plusSeconds(1);
        poller.pollDue();

        // the first cannot tell its lost order from the other's: it places a new one (3); then the second is the
        // only one left asking, and takes one of the two lost orders nobody holds
        assertThat(ca.calls).containsSubsequence("list", "place", "list");
        List<String> urls = List.of(reload(first).getOrderUrl(), reload(second).getOrderUrl());
        assertThat(urls).contains("https://ca.test/order/3").doesNotHaveDuplicates()
                .allMatch(u -> u.matches("https://ca.test/order/[123]"));
        assertThat(ca.ordersCreated()).as("one abandoned at the CA").isEqualTo(3);
    }

    @Test
    void withACaThatListsNoOrdersTheRestartPlacesASecondOrder_theDocumentedWindow() {
        ca.listsOrders = false;
        IssuanceAttempt attempt = attempts.insert(newAttempt("a-1", "crt-1", "acc"));
        ca.loseNextPlaceAnswer = new Crash();
        assertThatThrownBy(poller::pollDue).isInstanceOf(Crash.class);

        now = T0.plus(LEASE).plusSeconds(1);
        poller.pollDue();

        assertThat(reload(attempt).getOrderUrl()).isEqualTo("https://ca.test/order/2");
        assertThat(ca.ordersCreated()).isEqualTo(2);
    }

    private IssuanceAttempt reload(IssuanceAttempt attempt) {
        return attempts.findById(attempt.getId()).orElseThrow();
    }

    private IssuanceAttempt newAttempt(String id, String certificateId, String accountId) {
        return IssuanceAttempt.start(id, accountId, certificateId, UUID.randomUUID(), AttemptTrigger.FIRST_ISSUANCE,
                List.of("example.test"), null, null, null, now);
    }
}
