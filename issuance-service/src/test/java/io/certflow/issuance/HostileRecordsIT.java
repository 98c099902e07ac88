package io.certflow.issuance;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.ManagedCertificateRecord;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
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
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every topic issuance-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's
 * certificate or attempt, and the valid event sent after them all is applied to its document. No CA is
 * needed: the directory points at a closed port, so attempts start and wait.
 */
@ServiceIT
@TestPropertySource(properties = {"certflow.issuance.ca.directory-url=https://127.0.0.1:9/dir",
        "certflow.issuance.key-encryption-key=AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=",
        "certflow.issuance.poll-interval=1s", "certflow.issuance.backoff.initial=30s"})
class HostileRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

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

    /** A certificate of account-a that issuance keeps, with its first attempt started. */
    private record Existing(String certificateId, String attemptId) {
    }

    /** The valid event sent after the hostile ones, and the document that must remember it. */
    private record Row(CertflowEvent valid, Predicate<MongoTemplate> applied) {
    }

    private static final Map<String, Function<Existing, Row>> ROWS = Map.of(
            Topics.CERTIFICATE_REQUESTED, c -> onRecord(c, request(c.certificateId())),
            Topics.DOMAINS_VERIFIED, c -> onRecord(c, verified(c.certificateId())),
            Topics.RENEWAL_DUE, c -> onRecord(c, new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a",
                    c.certificateId(), "0a01", Instant.now(), "due", false)),
            Topics.ORDER_CANCELLED, c -> onRecord(c, new OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a",
                    c.certificateId(), "ord-" + c.certificateId(), "asked", false)),
            Topics.CHALLENGE_READY, c -> {
                ChallengeReady ready = new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", c.certificateId(),
                        c.attemptId(), false, "the delegation CNAME is gone");
                return new Row(ready, mongo -> mongo.findById(c.attemptId(), IssuanceAttempt.class).hasApplied(ready.eventId()));
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
            Existing existing = existingCertificate();
            Row row = entry.getValue().apply(existing);

            HostileRecords.Round round = hostile.send(entry.getKey(), row.valid());

            await().atMost(WAIT).until(() -> row.applied().test(mongo));
            round.assertEachDeadLetteredOrSkipped(WAIT);
            assertThat(mongo.findById(existing.certificateId(), ManagedCertificateRecord.class).getAccountId())
                    .isEqualTo("account-a");
            assertThat(mongo.findById(existing.attemptId(), IssuanceAttempt.class).getAccountId()).isEqualTo("account-a");
        }));
    }

    private Existing existingCertificate() {
        String id = "crt-" + UUID.randomUUID();
        DomainsVerified verified = verified(id);
        topics.publish(request(id));
        topics.publish(verified);
        String attemptId = ManagedCertificateRecord.attemptIdFor(verified.eventId());
        await().atMost(WAIT).until(() -> mongo.findById(attemptId, IssuanceAttempt.class) != null);
        return new Existing(id, attemptId);
    }

    private static Row onRecord(Existing existing, CertflowEvent valid) {
        return new Row(valid, mongo -> mongo.findById(existing.certificateId(), ManagedCertificateRecord.class)
                .hasApplied(valid.eventId()));
    }

    private static CertificateRequested request(String id) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", id, "ord-" + id,
                List.of(id + ".hostile.example"), "dv-single", 1, Instant.now().plus(Duration.ofDays(365)), true, null, null);
    }

    private static DomainsVerified verified(String id) {
        return new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", id,
                List.of(new DomainsVerified.VerifiedDomain(id + ".hostile.example", "CNAME_DELEGATION", "x.acme.certflow.test.")));
    }
}
