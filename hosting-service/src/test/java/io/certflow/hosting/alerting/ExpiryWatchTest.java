package io.certflow.hosting.alerting;

import io.certflow.events.v1.CertificateExpiring;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.hosting.managing.ExpiryAlertKind;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.hosting.renewal.RenewalPlanner;
import io.certflow.hosting.renewal.RenewalPolicy;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expiry watch against the Mongo wire server (no Spring, fixed clocks): an at-risk certificate raises
 * its alert in the same write as {@code lastAlert}, once; a quiet one is only looked at again when the
 * policy says; a cancelled one never; a new version starts over.
 */
class ExpiryWatchTest {

    private final Instant now = Instant.parse("2025-05-01T08:00:00Z");
    private final RenewalPolicy renewalPolicy = RenewalPolicy.defaults().withoutJitter();
    private final RenewalPlanner planner = new RenewalPlanner(renewalPolicy, MaintenanceWindows.NONE);

    private InMemoryMongo store;
    private ManagedCertificateRepository repository;

    @BeforeEach
    void start() {
        store = InMemoryMongo.start("hosting-test");
        repository = new MongoRepositoryFactory(store.template())
                .getRepository(ManagedCertificateRepository.class);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void anExpiringCertificateAlertsOnceADayAndAQuietOneIsLeftForLater() {
        // issued 87 days ago for 90 days: renewal was due 27 days ago, 3 days left
        repository.save(certificate("crt_risk", "01", now.minus(87, ChronoUnit.DAYS)));
        repository.save(certificate("crt_fine", "01", now.minus(10, ChronoUnit.DAYS)));

        assertThat(watch(now).check()).isEqualTo(1);
        assertThat(watch(now.plus(2, ChronoUnit.HOURS)).check()).as("same day").isZero();

        ManagedCertificate risk = repository.findById("crt_risk").orElseThrow();
        CertificateExpiring alert = (CertificateExpiring) risk.pendingEvents().get(0).event();
        assertThat(risk.pendingEvents()).hasSize(1);
        assertThat(alert.eventId()).isEqualTo(ExpiryAlertIds.of("crt_risk", "01", ExpiryAlertKind.EXPIRING, now));
        assertThat(alert.daysLeft()).isEqualTo(3);
        assertThat(alert.serialNumber()).isEqualTo("01");
        assertThat(alert.reason()).contains("expires in 3 days").contains("no renewal was attempted");
        assertThat(risk.getLastAlert().kind()).isEqualTo(ExpiryAlertKind.EXPIRING);
        assertThat(risk.getAlertCheckAt()).isEqualTo(now.plus(1, ChronoUnit.DAYS));
        ManagedCertificate fine = repository.findById("crt_fine").orElseThrow();
        assertThat(fine.pendingEvents()).isEmpty();
        assertThat(fine.getAlertCheckAt()).isEqualTo(fine.getRenewalDueAt().plus(1, ChronoUnit.HOURS));

        assertThat(watch(now.plus(1, ChronoUnit.DAYS)).check()).as("next day").isEqualTo(1);
        assertThat(watch(now.plus(3, ChronoUnit.DAYS)).check()).as("expired").isEqualTo(1);
        assertThat(watch(now.plus(4, ChronoUnit.DAYS)).check()).as("after expiry").isZero();
        ManagedCertificate expired = repository.findById("crt_risk").orElseThrow();
        assertThat(expired.getLastAlert().kind()).isEqualTo(ExpiryAlertKind.EXPIRED);
        assertThat(expired.getAlertCheckAt()).isNull();
        assertThat(expired.pendingEvents()).hasSize(3);
    }

    @Test
    void aCancelledCertificateIsNotReportedAndARenewedOneStartsOver() {
        ManagedCertificate cancelled = certificate("crt_cancelled", "01", now.minus(87, ChronoUnit.DAYS));
        cancelled.cancelled(new OrderCancelled(UUID.randomUUID(), now, "acc", "crt_cancelled", "ord", null, false), now);
        repository.save(cancelled);
        ManagedCertificate renewed = certificate("crt_renewed", "01", now.minus(87, ChronoUnit.DAYS));
        repository.save(renewed);
        assertThat(watch(now).check()).isEqualTo(1);

        renewed = repository.findById("crt_renewed").orElseThrow();
        renewed.issued(issued("crt_renewed", "02", now), planner, now.plus(1, ChronoUnit.HOURS));
        repository.save(renewed);

        assertThat(watch(now.plus(1, ChronoUnit.HOURS)).check()).isZero();
        assertThat(repository.findById("crt_cancelled").orElseThrow().pendingEvents()).isEmpty();
        assertThat(repository.findById("crt_cancelled").orElseThrow().getAlertCheckAt()).isNull();
        assertThat(repository.findById("crt_renewed").orElseThrow().getAlertCheckAt())
                .isEqualTo(renewalPolicy.renewalTime(now, now.plus(90, ChronoUnit.DAYS)).plus(1, ChronoUnit.HOURS));
    }

    private ExpiryWatch watch(Instant at) {
        ExpiryAlertProperties properties = new ExpiryAlertProperties(Duration.ofHours(1), Duration.ofDays(7),
                Duration.ofDays(1), Duration.ofMinutes(1), 2);
        return new ExpiryWatch(repository, properties, Clock.fixed(at, ZoneOffset.UTC));
    }

    /** A hosted 90-day certificate issued at {@code notBefore}, first seen then. */
    private ManagedCertificate certificate(String id, String serial, Instant notBefore) {
        ManagedCertificate c = ManagedCertificate.track(id, "acc", notBefore);
        c.requested(new CertificateRequested(UUID.randomUUID(), notBefore, "acc", id, "ord", List.of("example.com"),
                "dv-single", 3, notBefore.plus(3 * 365, ChronoUnit.DAYS), true, null, null), planner, notBefore);
        c.issued(issued(id, serial, notBefore), planner, notBefore);
        return c;
    }

    private static CertificateIssued issued(String id, String serial, Instant notBefore) {
        return new CertificateIssued(UUID.randomUUID(), notBefore, "acc", id, "att-" + serial, serial, "ff" + serial,
                notBefore, notBefore.plus(90, ChronoUnit.DAYS), List.of("example.com"), "CN=CA", "PEM", null);
    }
}
