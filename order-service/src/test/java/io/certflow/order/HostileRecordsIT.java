package io.certflow.order;

import io.certflow.events.CertflowEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.ordering.Order;
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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every topic order-service consumes gets every kind of hostile record ({@link HostileRecords}): each is
 * dead-lettered or skipped and counted, an event of another account does not touch account-a's order,
 * and the valid event sent after them all is applied (a new order, or the existing order's document
 * remembers it).
 */
@ServiceIT
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

    /** An order of account-a that exists, as a purchase made it. */
    private record Existing(PurchaseCompleted purchase, String orderId, String certificateId) {
    }

    /** The valid event sent after the hostile ones, the event naming the existing order, and how its effect shows. */
    private record Row(CertflowEvent valid, CertflowEvent ofExisting, Predicate<MongoTemplate> applied) {
    }

    private static final Map<String, Function<Existing, Row>> ROWS = Map.of(
            Topics.PURCHASE_COMPLETED, existing -> {
                PurchaseCompleted next = purchase("hostile-" + UUID.randomUUID());
                return new Row(next, existing.purchase(),
                        mongo -> mongo.findById(Order.upstreamId(next.orderId()), Order.class) != null);
            },
            Topics.PURCHASE_CANCELLED, existing -> applied(existing, new PurchaseCancelled(UUID.randomUUID(), Instant.now(),
                    "account-a", existing.orderId(), "asked", false)),
            Topics.CERTIFICATE_ISSUED, existing -> applied(existing, new CertificateIssued(UUID.randomUUID(), Instant.now(),
                    "account-a", existing.certificateId(), "att-1", "0a01", "ff0a01", Instant.now(),
                    Instant.now().plus(90, ChronoUnit.DAYS), List.of("hostile.example"), "CN=Test CA", "PEM", null)),
            Topics.ISSUANCE_FAILED, existing -> applied(existing, new IssuanceFailed(UUID.randomUUID(), Instant.now(),
                    "account-a", existing.certificateId(), "att-1", "the CA said no",
                    "urn:ietf:params:acme:error:rejectedIdentifier", false)));

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
            Existing existing = existingOrder();
            Row row = entry.getValue().apply(existing);

            HostileRecords.Round round = hostile.send(entry.getKey(), row.valid(), row.ofExisting());

            await().atMost(WAIT).until(() -> row.applied().test(mongo));
            round.assertEachDeadLetteredOrSkipped(WAIT);
            assertThat(mongo.findById(Order.upstreamId(existing.orderId()), Order.class).getAccountId()).isEqualTo("account-a");
        }));
    }

    private Existing existingOrder() {
        PurchaseCompleted purchase = purchase("hostile-" + UUID.randomUUID());
        topics.publish(purchase);
        String id = Order.upstreamId(purchase.orderId());
        await().atMost(WAIT).until(() -> mongo.findById(id, Order.class) != null);
        return new Existing(purchase, purchase.orderId(), mongo.findById(id, Order.class).getCertificateId());
    }

    private static Row applied(Existing existing, CertflowEvent valid) {
        return new Row(valid, valid, mongo -> mongo.findById(Order.upstreamId(existing.orderId()), Order.class)
                .hasApplied(valid.eventId()));
    }

    private static PurchaseCompleted purchase(String orderId) {
        return new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", orderId, "dv-single",
                List.of("hostile.example"), 1, true);
    }
}
