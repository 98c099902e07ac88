package io.certflow.hosting.bench;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.persistence.RenewalClaims;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's fleet, loaded into the Mongo wire server, is what the service reads: its own
 * {@link RenewalClaims} finds exactly the certificates the fleet made due, nothing else is due for two weeks,
 * the expiry watch has nothing to look at, and no outbox holds an event.
 */
class FleetLoaderTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final InMemoryMongo store = InMemoryMongo.start("certflow-hosting");

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void exactlyTheDueCertificatesAreFoundDueByTheServicesClaims() {
        HostedFleet fleet = new HostedFleet(2_000, 50, NOW, 7);
        FleetLoader.Loaded loaded = new FleetLoader(store.template(), 300).load(fleet, n -> { });

        assertThat(loaded.certificates()).isEqualTo(2_000);
        assertThat(store.template().count(new Query(), ManagedCertificate.class)).isEqualTo(2_000);
        Set<String> due = IntStream.range(0, 2_000).filter(fleet::isDue).mapToObj(fleet::id).collect(Collectors.toSet());
        assertThat(due).hasSize(50);

        RenewalClaims claims = new RenewalClaims(store.template());
        assertThat(claims.claimDue("test", NOW.minus(HostedFleet.DUE_SPREAD), Duration.ofMinutes(2), 10_000))
                .as("none due before the half hour").isEmpty();
        List<ManagedCertificate> claimed = claims.claimDue("test", NOW, Duration.ofMinutes(2), 10_000);
        assertThat(claimed).extracting(ManagedCertificate::getId).containsExactlyInAnyOrderElementsOf(due);
        assertThat(claimed).allSatisfy(c -> {
            assertThat(c.getStatus()).isEqualTo(CertificateStatus.HOSTED);
            assertThat(c.getSerialNumber()).isNotNull();
            assertThat(c.pendingEvents()).isEmpty();
        });
        assertThat(claims.claimDue("other", NOW.plus(HostedFleet.NOT_DUE_FROM).minusSeconds(1), Duration.ofMinutes(2),
                10_000)).as("the rest is due two weeks later or more: only the due ones again, their lease over")
                .extracting(ManagedCertificate::getId).containsExactlyInAnyOrderElementsOf(due);

        ManagedCertificateRepository certificates = new MongoRepositoryFactory(store.template())
                .getRepository(ManagedCertificateRepository.class);
        assertThat(certificates.findByAlertCheckAtLessThanEqualOrderByAlertCheckAtAsc(NOW, PageRequest.of(0, 10)))
                .as("the expiry watch has looked at every certificate").isEmpty();
        assertThat(store.template().count(new Query(Criteria.where("outbox.0").exists(true)), ManagedCertificate.class))
                .isZero();
    }

    @Test
    void theSameArgumentsGiveTheSameFleet() {
        HostedFleet a = new HostedFleet(100, 10, NOW, 1);
        HostedFleet b = new HostedFleet(100, 10, NOW, 1);

        assertThat(a.certificate(42).getNextRenewalAt()).isEqualTo(b.certificate(42).getNextRenewalAt());
        assertThat(a.id(42)).isEqualTo(b.id(42)).isNotEqualTo(a.id(43)).matches("crt_[a-z2-7]{26}");
        assertThat(IntStream.range(0, 100).filter(a::isDue).count()).isEqualTo(10);
    }
}
