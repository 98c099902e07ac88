package io.certflow.hosting.renewal;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.hosting.maintenance.AccountSettings;
import io.certflow.hosting.maintenance.MaintenanceCalendar;
import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.RenewalAttempt;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.metrics.RenewalMetrics;
import io.certflow.hosting.persistence.AccountSettingsRepository;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.persistence.RenewalClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler against the Mongo wire server (in memory, no Spring, fixed clock): what is due is
 * renewed once, what is not due or cancelled is left alone, instances share the work through claims with
 * leases, a crashed instance's claims are taken over when their lease ends, and maintenance windows hold
 * renewals back.
 */
class RenewalSchedulerTest {

    /** A Friday. */
    private final Instant now = Instant.parse("2025-05-02T08:00:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final RenewalPolicy policy = RenewalPolicy.defaults().withoutJitter();
    private final RenewalPlanner planner = new RenewalPlanner(policy, MaintenanceWindows.NONE);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private InMemoryMongo store;
    private MongoTemplate mongo;
    private ManagedCertificateRepository repository;
    private AccountSettingsRepository settings;

    @BeforeEach
    void start() {
        store = InMemoryMongo.start("hosting-test");
        mongo = store.template();
        MongoRepositoryFactory factory = new MongoRepositoryFactory(mongo);
        repository = factory.getRepository(ManagedCertificateRepository.class);
        settings = factory.getRepository(AccountSettingsRepository.class);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void dueCertificatesAreRenewedOnceAndOthersAreLeftAlone() {
        save(certificate("crt_due", now.minus(80, ChronoUnit.DAYS)));
        save(certificate("crt_later", now.minus(10, ChronoUnit.DAYS)));
        ManagedCertificate cancelled = certificate("crt_cancelled", now.minus(80, ChronoUnit.DAYS));
        cancelled.cancelled(new OrderCancelled(UUID.randomUUID(), now, "acc", "crt_cancelled", "ord", null, false), now);
        save(cancelled);
        RenewalScheduler scheduler = scheduler(100, clock);

        assertThat(scheduler.renewDue()).isEqualTo(1);
        assertThat(scheduler.renewDue()).as("already renewing").isZero();

        ManagedCertificate due = repository.findById("crt_due").orElseThrow();
        assertThat(due.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        Instant plannedAt = policy.renewalTime(now.minus(80, ChronoUnit.DAYS), now.plus(10, ChronoUnit.DAYS));
        assertThat(due.pendingEvents()).singleElement().satisfies(m -> {
            RenewalDue event = (RenewalDue) m.event();
            assertThat(event.eventId()).isEqualTo(RenewalIds.of("crt_due", "01", false, 0));
            assertThat(event.reason()).isEqualTo("one third of the lifetime remains (" + plannedAt + ")");
            assertThat(event.dueAt()).isEqualTo(plannedAt);
        });
        assertThat(due.getAttempts()).singleElement().satisfies(a -> {
            assertThat(a.trigger()).isEqualTo(RenewalTrigger.SCHEDULED);
            assertThat(a.outcome()).isEqualTo(RenewalAttempt.Outcome.RUNNING);
            assertThat(a.fromSerial()).isEqualTo("01");
        });
        assertThat(meters.counter("certflow.hosting.renewals.started", "trigger", "scheduled").count()).isEqualTo(1);
        assertThat(repository.findById("crt_later").orElseThrow().getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(repository.findById("crt_cancelled").orElseThrow().pendingEvents()).isEmpty();
    }

    @Test
    void twoInstancesSweepingTogetherRaiseEachRenewalExactlyOnce() throws Exception {
        for (int i = 0; i < 300; i++) {
            save(certificate("crt_" + i, now.minus(61 + i % 20, ChronoUnit.DAYS)));
        }
        RenewalScheduler a = scheduler(25, clock);
        RenewalScheduler b = scheduler(25, clock);

        CompletableFuture<Integer> byA = CompletableFuture.supplyAsync(a::renewDue);
        CompletableFuture<Integer> byB = CompletableFuture.supplyAsync(b::renewDue);

        assertThat(byA.get() + byB.get()).isEqualTo(300);
        List<ManagedCertificate> all = repository.findAll();
        assertThat(all).hasSize(300).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING);
            assertThat(c.pendingEvents()).hasSize(1);
        });
        assertThat(a.renewDue() + b.renewDue()).isZero();
    }

    @Test
    void theClaimsOfACrashedInstanceAreTakenOverWhenTheirLeaseEnds() {
        save(certificate("crt_orphan", now.minus(80, ChronoUnit.DAYS)));
        List<ManagedCertificate> claimedByDead = new RenewalClaims(mongo).claimDue("crashed", now, Duration.ofMinutes(2), 10);
        assertThat(claimedByDead).extracting(ManagedCertificate::getId).containsExactly("crt_orphan");

        assertThat(scheduler(100, clock).renewDue()).as("claimed by another instance, lease running").isZero();
        Instant afterLease = now.plus(Duration.ofMinutes(2));
        assertThat(scheduler(100, Clock.fixed(afterLease, ZoneOffset.UTC)).renewDue()).isEqualTo(1);

        ManagedCertificate renewed = repository.findById("crt_orphan").orElseThrow();
        assertThat(renewed.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        assertThat(renewed.pendingEvents()).hasSize(1);
    }

    @Test
    void aCertificateChangedBetweenItsClaimAndItsRenewalIsRenewedOnTheNextRunNotAfterTheLease() {
        save(certificate("crt_raced", now.minus(80, ChronoUnit.DAYS)));
        ManagedCertificateRepository racing = (ManagedCertificateRepository) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ManagedCertificateRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("save")) {
                        // another writer (the expiry watch, a listener) saves the claimed document first
                        mongo.updateFirst(new Query(Criteria.where("_id").is("crt_raced")),
                                new Update().inc("version", 1L), ManagedCertificate.class);
                    }
                    try {
                        return method.invoke(repository, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        assertThat(scheduler(100, clock, racing).renewDue()).as("lost the race").isZero();
        assertThat(repository.findById("crt_raced").orElseThrow().getStatus()).isEqualTo(CertificateStatus.HOSTED);

        assertThat(scheduler(100, clock).renewDue()).as("next run, same instant: the claim was released").isEqualTo(1);
        assertThat(repository.findById("crt_raced").orElseThrow().pendingEvents()).hasSize(1);
    }

    @Test
    void aClaimMadeBeforeTheClockWasSetBackDoesNotHoldTheRenewal() {
        save(certificate("crt_back", now.minus(80, ChronoUnit.DAYS)));
        new RenewalClaims(mongo).claimDue("ahead", now.plus(3, ChronoUnit.HOURS), Duration.ofMinutes(2), 10);

        assertThat(scheduler(100, clock).renewDue()).as("its lease ends 3 h from now, beyond any lease").isEqualTo(1);
        assertThat(repository.findById("crt_back").orElseThrow().pendingEvents()).hasSize(1);
    }

    @Test
    void moreDueCertificatesThanABatchAreAllRenewedInOneRun() {
        for (int i = 0; i < 5; i++) {
            save(certificate("crt_batch" + i, now.minus(80 + i, ChronoUnit.DAYS)));
        }

        assertThat(scheduler(2, clock).renewDue()).isEqualTo(5);
        assertThat(repository.findAll()).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING));
    }

    @Test
    void aRenewalDueInsideAMaintenanceWindowSetAfterItWasPlannedIsMovedToTheWindowsEnd() {
        save(certificate("crt_window", now.minus(80, ChronoUnit.DAYS)));
        AccountSettings account = new AccountSettings("acc");
        account.setMaintenanceWindows(List.of(new MaintenanceWindow(List.of(DayOfWeek.FRIDAY), LocalTime.of(6, 0),
                LocalTime.of(10, 0), "UTC")), now);
        settings.save(account);

        assertThat(scheduler(100, clock).renewDue()).isZero();

        ManagedCertificate moved = repository.findById("crt_window").orElseThrow();
        assertThat(moved.getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(moved.getNextRenewalAt()).isEqualTo(Instant.parse("2025-05-02T10:00:00Z"));
        assertThat(moved.getRenewalPlan()).last().asString()
                .isEqualTo("moved out of the maintenance window Fri 06:00–10:00 UTC to 2025-05-02T10:00:00Z");
        assertThat(moved.pendingEvents()).isEmpty();

        assertThat(scheduler(100, Clock.fixed(Instant.parse("2025-05-02T10:00:00Z"), ZoneOffset.UTC)).renewDue())
                .isEqualTo(1);
    }

    @Test
    void aFailedRenewalIsPickedUpAgainWhenItsBackoffHasPassed() {
        ManagedCertificate c = certificate("crt_retry", now.minus(80, ChronoUnit.DAYS));
        c.startRenewal(now.minus(2, ChronoUnit.HOURS), RenewalTrigger.SCHEDULED, "due");
        c.issuanceFailed(new IssuanceFailed(UUID.randomUUID(), now, "acc", "crt_retry", "att",
                "CA unavailable", null, true), planner, now.minus(2, ChronoUnit.HOURS));
        save(c);

        assertThat(scheduler(100, clock).renewDue()).isEqualTo(1);

        ManagedCertificate retried = repository.findById("crt_retry").orElseThrow();
        assertThat(retried.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        RenewalDue retry = (RenewalDue) retried.pendingEvents().get(1).event();
        assertThat(retry.eventId()).isEqualTo(RenewalIds.of("crt_retry", "01", false, 1));
        assertThat(retry.reason()).isEqualTo("retry 1 after a failed renewal, 1 h after it: CA unavailable");
        assertThat(retried.getAttempts()).extracting(RenewalAttempt::outcome)
                .containsExactly(RenewalAttempt.Outcome.FAILED, RenewalAttempt.Outcome.RUNNING);
    }

    @Test
    void aRenewalWithoutAnswerIsGivenUpAfterTheTimeoutAndRetried() {
        ManagedCertificate stuck = certificate("crt_stuck", now.minus(80, ChronoUnit.DAYS));
        stuck.startRenewal(now.minus(25, ChronoUnit.HOURS), RenewalTrigger.SCHEDULED, "due");
        save(stuck);
        ManagedCertificate young = certificate("crt_young", now.minus(80, ChronoUnit.DAYS));
        young.startRenewal(now.minus(23, ChronoUnit.HOURS), RenewalTrigger.SCHEDULED, "due");
        save(young);

        assertThat(scheduler(100, clock).giveUpUnansweredRenewals()).isEqualTo(1);

        ManagedCertificate givenUp = repository.findById("crt_stuck").orElseThrow();
        assertThat(givenUp.getStatus()).isEqualTo(CertificateStatus.RENEWAL_FAILED);
        assertThat(givenUp.getLastFailure()).contains("no answer").contains("within 1 d");
        assertThat(givenUp.getNextRenewalAt()).isEqualTo(now.plus(1, ChronoUnit.HOURS));
        assertThat(givenUp.getAttempts()).singleElement().extracting(RenewalAttempt::outcome)
                .isEqualTo(RenewalAttempt.Outcome.TIMED_OUT);
        assertThat(meters.counter("certflow.hosting.renewals.failed", "reason", "timeout").count()).isEqualTo(1);
        assertThat(repository.findById("crt_young").orElseThrow().getStatus()).isEqualTo(CertificateStatus.RENEWING);
    }

    @Test
    void aClockThatJumpedFarAheadStartsOneRenewalNotOnePerMissedTime() {
        save(certificate("crt_jump", now.minus(80, ChronoUnit.DAYS)));
        Clock jumped = Clock.fixed(now.plus(200, ChronoUnit.DAYS), ZoneOffset.UTC);

        RenewalScheduler scheduler = scheduler(100, jumped);
        assertThat(scheduler.renewDue()).isEqualTo(1);
        assertThat(scheduler.renewDue()).isZero();

        ManagedCertificate c = repository.findById("crt_jump").orElseThrow();
        assertThat(c.pendingEvents()).hasSize(1);
        assertThat(c.getRenewalDueAt()).as("the renewal time that passed is kept, for the overdue alert")
                .isEqualTo(policy.renewalTime(now.minus(80, ChronoUnit.DAYS), now.plus(10, ChronoUnit.DAYS)));
    }

    private RenewalScheduler scheduler(int batchSize, Clock clock) {
        return scheduler(batchSize, clock, repository);
    }

    private RenewalScheduler scheduler(int batchSize, Clock clock, ManagedCertificateRepository repository) {
        HostingProperties properties = new HostingProperties(0.3333, null, 0, Duration.ofMinutes(2),
                Duration.ofSeconds(10), batchSize, Duration.ofHours(1), Duration.ofHours(32), Duration.ofHours(24));
        MaintenanceCalendar calendar = new MaintenanceCalendar(settings, properties.policy());
        return new RenewalScheduler(repository, new RenewalClaims(mongo), calendar, properties,
                new RenewalMetrics(meters), clock);
    }

    private void save(ManagedCertificate certificate) {
        repository.save(certificate);
    }

    /** A hosted 90-day certificate with serial 01 issued at {@code notBefore}, for a 3-year term. */
    private ManagedCertificate certificate(String id, Instant notBefore) {
        ManagedCertificate c = ManagedCertificate.track(id, "acc", notBefore);
        c.requested(new CertificateRequested(UUID.randomUUID(), notBefore, "acc", id, "ord", List.of("example.com"),
                "dv-single", 3, notBefore.plus(3 * 365, ChronoUnit.DAYS), true, null, null), planner, notBefore);
        c.issued(new CertificateIssued(UUID.randomUUID(), notBefore, "acc", id, "att", "01", "ff", notBefore,
                notBefore.plus(90, ChronoUnit.DAYS), List.of("example.com"), "CN=CA", "PEM", null), planner, notBefore);
        return c;
    }
}
