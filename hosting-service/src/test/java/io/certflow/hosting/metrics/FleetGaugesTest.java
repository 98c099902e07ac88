package io.certflow.hosting.metrics;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.renewal.RenewalPlanner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The fleet gauges against the Mongo wire server: counts per status and the cumulative histogram of days to
 * expiry come from the store's aggregations, and are published as tagged gauges (no per-certificate series).
 */
class FleetGaugesTest {

    private final Instant now = Instant.parse("2025-05-01T08:00:00Z");
    private final RenewalPlanner planner = RenewalPlanner.defaults();

    private InMemoryMongo store;
    private MongoTemplate mongo;

    @BeforeEach
    void start() {
        store = InMemoryMongo.start("hosting-test");
        mongo = store.template();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void countsPerStatusAndDaysToExpiryComeFromTheStore() {
        mongo.save(hosted("crt_expired", now.minus(100, ChronoUnit.DAYS)));   // expired 10 days ago
        mongo.save(hosted("crt_3days", now.minus(87, ChronoUnit.DAYS)));      // 3 days left
        mongo.save(hosted("crt_20days", now.minus(70, ChronoUnit.DAYS)));     // 20 days left
        mongo.save(hosted("crt_89days", now.minus(1, ChronoUnit.DAYS)));      // 89 days left
        ManagedCertificate failing = hosted("crt_failing", now.minus(65, ChronoUnit.DAYS));
        failing.startRenewal(now, RenewalTrigger.SCHEDULED, "due");
        failing.issuanceFailed(new IssuanceFailed(UUID.randomUUID(), now, "acc", "crt_failing", "att", "rateLimited",
                null, true), planner, now);
        mongo.save(failing);                                                   // 25 days left
        ManagedCertificate cancelled = hosted("crt_cancelled", now.minus(89, ChronoUnit.DAYS));
        cancelled.cancelled(new OrderCancelled(UUID.randomUUID(), now, "acc", "crt_cancelled", "ord", null, false), now);
        mongo.save(cancelled);
        mongo.save(ManagedCertificate.track("crt_pending", "acc", now));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FleetGauges gauges = new FleetGauges(mongo, Clock.fixed(now, ZoneOffset.UTC), meters);

        gauges.refresh();

        assertThat(gauges.countByStatus()).contains(entry(CertificateStatus.HOSTED, 4L),
                entry(CertificateStatus.RENEWAL_FAILED, 1L), entry(CertificateStatus.CANCELLED, 1L),
                entry(CertificateStatus.PENDING_ISSUANCE, 1L), entry(CertificateStatus.EXPIRED, 0L));
        assertThat(meters.get("certflow.hosting.certificates").tag("status", "HOSTED").gauge().value()).isEqualTo(4);
        assertThat(meters.get("certflow.hosting.certificates").tag("status", "PAUSED").gauge().value()).isZero();
        assertThat(gauges.cumulativeDaysToExpiry(now)).containsExactly(entry("0", 1L), entry("1", 1L), entry("7", 2L),
                entry("14", 2L), entry("30", 4L), entry("60", 4L), entry("90", 5L), entry("200", 5L), entry("+Inf", 5L));
        assertThat(meters.get("certflow.hosting.days.to.expiry").tag("le", "30").gauge().value()).isEqualTo(4);
        assertThat(meters.find("certflow.hosting.days.to.expiry").gauges()).hasSize(9);
    }

    @Test
    void afterASlowRefreshTheNextWaitsTenTimesAsLong() {
        mongo.save(hosted("crt_one", now.minus(1, ChronoUnit.DAYS)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        long second = 1_000_000_000L;
        // the first refresh takes 20 s (from 0 to 20 s); then two more at 25 s and 230 s
        java.util.Iterator<Long> clockReadings = List.of(0L, 20 * second, 25 * second, 230 * second, 231 * second).iterator();
        FleetGauges gauges = new FleetGauges(mongo, Clock.fixed(now, ZoneOffset.UTC), meters, clockReadings::next);

        gauges.refresh();
        mongo.save(hosted("crt_two", now.minus(1, ChronoUnit.DAYS)));
        gauges.refresh();

        assertThat(meters.get("certflow.hosting.certificates").tag("status", "HOSTED").gauge().value())
                .as("within 10 × 20 s of the slow refresh: not counted again").isEqualTo(1);

        gauges.refresh();

        assertThat(meters.get("certflow.hosting.certificates").tag("status", "HOSTED").gauge().value())
                .as("past it: counted again").isEqualTo(2);
    }

    @Test
    void failureReasonsAreBoundedTags() {
        assertThat(RenewalMetrics.reasonTag("urn:ietf:params:acme:error:rateLimited")).isEqualTo("rateLimited");
        assertThat(RenewalMetrics.reasonTag("urn:certflow:issuance:caa-forbidden")).isEqualTo("caa-forbidden");
        assertThat(RenewalMetrics.reasonTag("https://ca.example/problems/odd")).isEqualTo("odd");
        assertThat(RenewalMetrics.reasonTag(null)).isEqualTo("unknown");
        assertThat(RenewalMetrics.reasonTag("urn:x:" + "a".repeat(60))).isEqualTo("other");
        assertThat(RenewalMetrics.reasonTag("urn:x:<script>")).isEqualTo("other");
    }

    /** A 90-day certificate issued at {@code notBefore}, hosted for 3 years. */
    private ManagedCertificate hosted(String id, Instant notBefore) {
        ManagedCertificate c = ManagedCertificate.track(id, "acc", notBefore);
        c.requested(new CertificateRequested(UUID.randomUUID(), notBefore, "acc", id, "ord", List.of("example.com"),
                "dv-single", 3, notBefore.plus(3 * 365, ChronoUnit.DAYS), true, null, null), planner, notBefore);
        c.issued(new CertificateIssued(UUID.randomUUID(), notBefore, "acc", id, "att", "01", "ff", notBefore,
                notBefore.plus(90, ChronoUnit.DAYS), List.of("example.com"), "CN=CA", "PEM", null), planner, notBefore);
        return c;
    }
}
