package io.certflow.issuance.issuing;

import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.issuance.persistence.OrderRateWindow;
import io.certflow.testsupport.SettableClock;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The new-order limiter on the Mongo wire server with the real poller and stepper (a scripted CA, a
 * clock moved by hand): with one order per 2 s window, a second attempt waits, is not failed, keeps
 * its place in line, and gets its order when the window passes.
 */
class OrderRateLimitOnMongoTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final Duration RECHECK = Duration.ofMillis(200);
    private InMemoryMongo store;
    private MongoTemplate mongo;
    private IssuanceAttemptRepository attempts;
    private final FakeCertificateAuthority ca = new FakeCertificateAuthority();
    private final KeyPair accountKey = KeyType.EC_P256.generate();
    private Instant now = T0;
    private AttemptPoller poller;

    @BeforeEach
    void setUp() {
        store = InMemoryMongo.start("rate-limit-test");
        mongo = store.template();
        attempts = new MongoRepositoryFactory(mongo).getRepository(IssuanceAttemptRepository.class);
        Clock clock = SettableClock.reading(() -> now);
        CaProfiles profiles = new ConfiguredCaProfiles(new CaProfile("default", "https://ca.test/dir", ca, Optional.empty()));
        CaAccounts accounts = StepperDoubles.fixedAccounts(accountKey);
        VersionStore versions = StepperDoubles.noVersions();
        KeyVault vault = new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(new byte[32])));
        StoredOrderRateLimiter limiter = new StoredOrderRateLimiter(mongo, new NewOrderLimit(1, WINDOW, RECHECK));
        AttemptStepper stepper = new AttemptStepper(profiles, accounts, vault, versions,
                new BackoffPolicy(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 3),
                new AttemptStepper.Timing(Duration.ofMillis(200), Duration.ofMinutes(30), Duration.ofMinutes(10)), clock,
                limiter);
        poller = new AttemptPoller(mongo, attempts, stepper, clock, Duration.ofMinutes(2), 20);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void theSecondAttemptWaitsInLineAndGetsItsOrderWhenTheWindowPasses() {
        IssuanceAttempt first = attempts.insert(newAttempt("a-1", "acc"));
        now = T0.plusMillis(1);
        IssuanceAttempt second = attempts.insert(newAttempt("a-2", "acc"));

        Instant firstOrder = now;
        poller.pollDue();

        assertThat(reload(first).getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        IssuanceAttempt waiting = reload(second);
        assertThat(waiting.getState()).as("waits, is not failed").isEqualTo(AttemptState.NEW);
        assertThat(waiting.waitingForRateLimit()).isTrue();
        assertThat(waiting.getFailure()).isNull();
        assertThat(waiting.pendingEvents()).isEmpty();
        assertThat(waiting.getWaitingForRateLimitSince()).isEqualTo(now);
        assertThat(waiting.getRateLimitedUntil()).isEqualTo(firstOrder.plus(WINDOW));
        assertThat(waiting.getNextPollAt()).isEqualTo(firstOrder.plus(WINDOW));
        assertThat(placed()).isEqualTo(1);

        // a later attempt queues behind
        now = T0.plusMillis(100);
        IssuanceAttempt third = attempts.insert(newAttempt("a-3", "acc"));
        poller.pollDue();
        assertThat(reload(third).waitingForRateLimit()).isTrue();
        assertThat(reload(third).getWaitingForRateLimitSince()).isEqualTo(T0.plusMillis(100));
        assertThat(placed()).isEqualTo(1);

        // nothing before the window passes
        now = firstOrder.plus(WINDOW).minusMillis(1);
        poller.pollDue();
        assertThat(placed()).isEqualTo(1);

        // the window passes; the later attempt is polled first and still does not overtake
        now = firstOrder.plus(WINDOW);
        mongo.updateFirst(Query.query(where("_id").is("a-3")), new Update().set("nextPollAt", now.minusMillis(1)),
                IssuanceAttempt.class);
        poller.pollDue();
        assertThat(reload(second).getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(reload(second).waitingForRateLimit()).isFalse();
        IssuanceAttempt stillWaiting = reload(third);
        assertThat(stillWaiting.getState()).isEqualTo(AttemptState.NEW);
        assertThat(stillWaiting.waitingForRateLimit()).isTrue();
        assertThat(stillWaiting.getWaitingForRateLimitSince()).as("keeps its place").isEqualTo(T0.plusMillis(100));
        assertThat(placed()).isEqualTo(2);

        // and its own turn comes one window later
        now = firstOrder.plus(WINDOW).plus(WINDOW);
        poller.pollDue();
        assertThat(reload(third).getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(placed()).isEqualTo(3);
        assertThat(mongo.findAll(IssuanceAttempt.class)).allSatisfy(a -> assertThat(a.getFailure()).isNull());
    }

    @Test
    void accountsHaveTheirOwnWindow() {
        attempts.insert(newAttempt("a-1", "acc"));
        attempts.insert(newAttempt("b-1", "other"));

        poller.pollDue();

        assertThat(reload(attempts.findById("b-1").orElseThrow()).getState()).isEqualTo(AttemptState.AWAITING_CHALLENGES);
        assertThat(placed()).isEqualTo(2);
    }

    @Test
    void concurrentClaimsNeverExceedTheLimit() throws Exception {
        StoredOrderRateLimiter limiter = new StoredOrderRateLimiter(mongo, new NewOrderLimit(3, WINDOW, RECHECK));
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            IssuanceAttempt attempt = newAttempt("c-" + i, "acc");
            claims.add(() -> limiter.acquire("default", attempt, now).granted());
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            long granted = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) {
                granted += f.get() ? 1 : 0;
            }
            assertThat(granted).isLessThanOrEqualTo(3).isPositive();
            OrderRateWindow window = mongo.findById(OrderRateWindow.idOf("default", "acc"), OrderRateWindow.class);
            assertThat(window.getOrders()).hasSize((int) granted);
            assertThat(limiter.ordersInWindow("default", now)).isEqualTo(granted);
        } finally {
            pool.shutdownNow();
        }
    }

    private long placed() {
        return ca.calls.stream().filter("place"::equals).count();
    }

    private IssuanceAttempt reload(IssuanceAttempt attempt) {
        return attempts.findById(attempt.getId()).orElseThrow();
    }

    private IssuanceAttempt newAttempt(String id, String account) {
        return IssuanceAttempt.start(id, account, "crt-" + id, UUID.randomUUID(), AttemptTrigger.FIRST_ISSUANCE,
                List.of("example.test"), null, null, null, now);
    }
}
