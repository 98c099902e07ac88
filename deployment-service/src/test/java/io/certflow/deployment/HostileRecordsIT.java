package io.certflow.deployment;

import io.certflow.deployment.persistence.AccountMaintenance;
import io.certflow.deployment.persistence.IssuedCertificate;
import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.messaging.HostileKind;
import io.certflow.testsupport.messaging.HostileRecords;
import io.certflow.testsupport.messaging.ListenedTopics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every topic deployment-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's certificate,
 * and the valid event sent after them all is applied to its document. Maintenance windows are per account
 * (the event names no one else's aggregate), so that topic gets every kind but the other account's event.
 */
@ServiceIT
class HostileRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<HostileKind> ALL_BUT_OTHER_ACCOUNT = Arrays.stream(HostileKind.values())
            .filter(k -> k != HostileKind.OTHER_ACCOUNT).toList();

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    MeterRegistry meters;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;
    private HostileRecords hostile;

    /** The valid event sent after the hostile ones, the kinds sent, and the document that must remember it. */
    private record Row(CertflowEvent valid, List<HostileKind> kinds, Predicate<MongoTemplate> applied) {
    }

    private static final Map<String, Function<String, Row>> ROWS = Map.of(
            Topics.CERTIFICATE_ISSUED, id -> onCertificate(id, issued(id, "0a02")),
            Topics.ORDER_CANCELLED, id -> onCertificate(id, new OrderCancelled(UUID.randomUUID(), Instant.now(),
                    "account-a", id, "ord-" + id, "asked", false)),
            Topics.MAINTENANCE_WINDOWS_CHANGED, id -> {
                MaintenanceWindowsChanged windows = new MaintenanceWindowsChanged(UUID.randomUUID(), Instant.now(),
                        "account-a", List.of(), System.currentTimeMillis());
                return new Row(windows, ALL_BUT_OTHER_ACCOUNT, mongo -> {
                    AccountMaintenance kept = mongo.findById("account-a", AccountMaintenance.class);
                    return kept != null && kept.hasApplied(windows.eventId());
                });
            });

    @BeforeEach
    void connect() {
        hostile = new HostileRecords(bootstrapServers, meters);
    }

    @AfterEach
    void disconnect() {
        hostile.close();
    }

    @Test
    void everyTopicTheServiceConsumesHasARow() {
        assertThat(ROWS.keySet()).containsExactlyInAnyOrderElementsOf(ListenedTopics.of(listeners));
    }

    @TestFactory
    Stream<DynamicTest> hostileRecordsAreDeadLetteredOrSkippedAndTheConsumerGoesOn() {
        return ROWS.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            String id = issuedCertificate();
            Row row = entry.getValue().apply(id);

            HostileRecords.Round round = hostile.send(entry.getKey(), row.valid(), row.kinds());

            await().atMost(WAIT).until(() -> row.applied().test(mongo));
            round.assertEachDeadLetteredOrSkipped(WAIT);
            assertThat(mongo.findById(id, IssuedCertificate.class).getAccountId()).isEqualTo("account-a");
        }));
    }

    private String issuedCertificate() {
        String id = "cert-" + UUID.randomUUID();
        CertificateIssued issued = issued(id, "0a01");
        topics.publish(issued);
        await().atMost(WAIT).until(() -> {
            IssuedCertificate certificate = mongo.findById(id, IssuedCertificate.class);
            return certificate != null && certificate.hasApplied(issued.eventId());
        });
        return id;
    }

    private static Row onCertificate(String id, CertflowEvent valid) {
        return new Row(valid, List.of(HostileKind.values()),
                mongo -> mongo.findById(id, IssuedCertificate.class).hasApplied(valid.eventId()));
    }

    private static CertificateIssued issued(String id, String serial) {
        Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        return new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", id, "att-" + serial, serial,
                "ff" + serial, notBefore, notBefore.plus(90, ChronoUnit.DAYS), List.of("www.hostile.example"), "CN=Test CA",
                "PEM", null);
    }
}
