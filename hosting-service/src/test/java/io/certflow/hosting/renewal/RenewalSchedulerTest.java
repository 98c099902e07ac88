package io.certflow.hosting.renewal;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler against the Mongo wire server (in memory, no Spring, fixed clock): what is due is
 * renewed once, what is not due or cancelled is left alone, and of two instances racing for one
 * certificate exactly one raises its {@link RenewalDue}.
 */
class RenewalSchedulerTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-05-01T08:00:00Z"), ZoneOffset.UTC);
    private final Instant now = clock.instant();
    private final RenewalPolicy policy = RenewalPolicy.defaults();

    private MongoServer server;
    private MongoClient client;
    private ManagedCertificateRepository repository;

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        MongoTemplate mongo = new MongoTemplate(client, "hosting-test");
        repository = new MongoRepositoryFactory(mongo).getRepository(ManagedCertificateRepository.class);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void dueCertificatesAreRenewedOnceAndOthersAreLeftAlone() {
        save(certificate("crt_due", now.minus(80, ChronoUnit.DAYS)));
        save(certificate("crt_later", now.minus(10, ChronoUnit.DAYS)));
        ManagedCertificate cancelled = certificate("crt_cancelled", now.minus(80, ChronoUnit.DAYS));
        cancelled.cancelled(new OrderCancelled(UUID.randomUUID(), now, "acc", "crt_cancelled", "ord", null, false), now);
        save(cancelled);
        RenewalScheduler scheduler = scheduler(100);

        assertThat(scheduler.renewDue()).isEqualTo(1);
        assertThat(scheduler.renewDue()).as("already renewing").isZero();

        ManagedCertificate due = repository.findById("crt_due").orElseThrow();
        assertThat(due.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        assertThat(due.pendingEvents()).singleElement().satisfies(m -> {
            RenewalDue event = (RenewalDue) m.event();
            assertThat(event.eventId()).isEqualTo(RenewalIds.of("crt_due", "01", false, 0));
            assertThat(event.reason()).isEqualTo("one third of the lifetime remains");
        });
        assertThat(repository.findById("crt_later").orElseThrow().getStatus()).isEqualTo(CertificateStatus.HOSTED);
        assertThat(repository.findById("crt_cancelled").orElseThrow().pendingEvents()).isEmpty();
    }

    @Test
    void ofTwoInstancesRacingForOneCertificateExactlyOneRaisesRenewalDue() {
        save(certificate("crt_race", now.minus(80, ChronoUnit.DAYS)));
        ManagedCertificate seenByA = repository.findById("crt_race").orElseThrow();
        ManagedCertificate seenByB = repository.findById("crt_race").orElseThrow();

        boolean a = scheduler(100).startRenewal(seenByA, now);
        boolean b = scheduler(100).startRenewal(seenByB, now);

        assertThat(a).isTrue();
        assertThat(b).isFalse();
        assertThat(repository.findById("crt_race").orElseThrow().pendingEvents()).hasSize(1);
    }

    @Test
    void moreDueCertificatesThanABatchAreAllRenewedInOneRun() {
        for (int i = 0; i < 5; i++) {
            save(certificate("crt_batch" + i, now.minus(80 + i, ChronoUnit.DAYS)));
        }

        assertThat(scheduler(2).renewDue()).isEqualTo(5);
        assertThat(repository.findAll()).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo(CertificateStatus.RENEWING));
    }

    @Test
    void aFailedRenewalIsPickedUpAgainWhenItsBackoffHasPassed() {
        ManagedCertificate c = certificate("crt_retry", now.minus(80, ChronoUnit.DAYS));
        c.startRenewal(now.minus(2, ChronoUnit.HOURS), false, "due");
        c.issuanceFailed(new io.certflow.events.v1.IssuanceFailed(UUID.randomUUID(), now, "acc", "crt_retry", "att",
                "CA unavailable", null, true), policy, now.minus(2, ChronoUnit.HOURS));
        save(c);

        assertThat(scheduler(100).renewDue()).isEqualTo(1);

        ManagedCertificate retried = repository.findById("crt_retry").orElseThrow();
        assertThat(retried.getStatus()).isEqualTo(CertificateStatus.RENEWING);
        RenewalDue retry = (RenewalDue) retried.pendingEvents().get(1).event();
        assertThat(retry.eventId()).isEqualTo(RenewalIds.of("crt_retry", "01", false, 1));
        assertThat(retry.reason()).isEqualTo("retry 1 after a failed renewal: CA unavailable");
    }

    @Test
    void aRenewalWithoutAnswerIsGivenUpAfterTheTimeoutAndRetried() {
        ManagedCertificate stuck = certificate("crt_stuck", now.minus(80, ChronoUnit.DAYS));
        stuck.startRenewal(now.minus(25, ChronoUnit.HOURS), false, "due");
        save(stuck);
        ManagedCertificate young = certificate("crt_young", now.minus(80, ChronoUnit.DAYS));
        young.startRenewal(now.minus(23, ChronoUnit.HOURS), false, "due");
        save(young);

        assertThat(scheduler(100).giveUpUnansweredRenewals()).isEqualTo(1);

        ManagedCertificate givenUp = repository.findById("crt_stuck").orElseThrow();
        assertThat(givenUp.getStatus()).isEqualTo(CertificateStatus.RENEWAL_FAILED);
        assertThat(givenUp.getLastFailure()).contains("no answer").contains("within 24 h");
        assertThat(givenUp.getNextRenewalAt()).isEqualTo(now.plus(1, ChronoUnit.HOURS));
        assertThat(repository.findById("crt_young").orElseThrow().getStatus()).isEqualTo(CertificateStatus.RENEWING);
    }

    private RenewalScheduler scheduler(int batchSize) {
        HostingProperties properties = new HostingProperties(0.3333, Duration.ofSeconds(10), batchSize,
                Duration.ofHours(1), Duration.ofHours(32), Duration.ofHours(24));
        return new RenewalScheduler(repository, properties.policy(), properties, clock);
    }

    private void save(ManagedCertificate certificate) {
        repository.save(certificate);
    }

    /** A hosted 90-day certificate with serial 01 issued at {@code notBefore}. */
    private ManagedCertificate certificate(String id, Instant notBefore) {
        ManagedCertificate c = ManagedCertificate.track(id, "acc", notBefore);
        c.requested(new CertificateRequested(UUID.randomUUID(), notBefore, "acc", id, "ord", List.of("example.com"),
                "dv-single", 3, notBefore.plus(3 * 365, ChronoUnit.DAYS), true, null, null), policy, notBefore);
        c.issued(new CertificateIssued(UUID.randomUUID(), notBefore, "acc", id, "att", "01", "ff", notBefore,
                notBefore.plus(90, ChronoUnit.DAYS), List.of("example.com"), "CN=CA", "PEM", null), policy, notBefore);
        return c;
    }
}
