package io.certflow.testsupport.messaging;

import io.certflow.events.CertflowEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile-records test every service runs, written once: for every topic the service consumes (read from its
 * listeners, so a new listener without a row fails), every kind of hostile record ({@link HostileRecords}) goes to the
 * topic, then a valid event; each hostile record must be dead-lettered with a reason or skipped and counted, the valid
 * event must be applied (the consumer went on), and the existing aggregate must still be account-a's.
 *
 * <p>A service's test extends it in its Spring test context and says, per topic, which events to send
 * ({@link #rows()}), how an existing aggregate of account-a is made ({@link #existing()}) and who owns it now.
 *
 * @param <E> what the service's test knows of an existing aggregate (ids)
 */
public abstract class HostileRecordsContract<E> {

    /** How long a consumer may take to apply or dead-letter what it was sent. */
    protected static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    protected MongoTemplate mongo;
    @Autowired
    private MeterRegistry meters;
    @Autowired
    private KafkaListenerEndpointRegistry listeners;
    /** Bound when the context started: the test instance's own {@code @Value} would read the broker of whichever
     *  cached context started last (spring-kafka-test sets the property JVM-wide), not this context's. */
    @Autowired
    private KafkaProperties kafka;
    private HostileRecords hostile;

    /**
     * One topic's case.
     *
     * @param valid      the valid event sent after the hostile ones
     * @param ofExisting an event naming the existing aggregate (the other account's event is built from it)
     * @param kinds      the hostile kinds sent
     * @param applied    whether the store shows {@code valid} applied
     */
    public record Row(CertflowEvent valid, CertflowEvent ofExisting, List<HostileKind> kinds,
                      Predicate<MongoTemplate> applied) {

        /** Every hostile kind, the other account's built from {@code valid} (it names the existing aggregate). */
        public static Row of(CertflowEvent valid, Predicate<MongoTemplate> applied) {
            return new Row(valid, valid, List.of(HostileKind.values()), applied);
        }
    }

    /** Per consumed topic, its case for an existing aggregate. */
    protected abstract Map<String, Function<E, Row>> rows();

    /** Makes an aggregate of account-a the way the service makes it, and waits until it is stored. */
    protected abstract E existing();

    /** The account that owns {@code existing} now. */
    protected abstract String ownerOf(E existing);

    @BeforeEach
    void connectHostileProducer() {
        hostile = new HostileRecords(String.join(",", kafka.getBootstrapServers()), meters);
    }

    @AfterEach
    void disconnectHostileProducer() {
        hostile.close();
    }

    @Test
    void everyTopicTheServiceConsumesHasARow() {
        assertThat(rows().keySet()).containsExactlyInAnyOrderElementsOf(ListenedTopics.of(listeners));
    }

    @TestFactory
    Stream<DynamicTest> hostileRecordsAreDeadLetteredOrSkippedAndTheConsumerGoesOn() {
        return rows().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            E existing = existing();
            Row row = entry.getValue().apply(existing);

            HostileRecords.Round round = hostile.send(entry.getKey(), row.valid(), row.ofExisting(), row.kinds());

            await().atMost(WAIT).until(() -> row.applied().test(mongo));
            round.assertEachDeadLetteredOrSkipped(WAIT);
            assertThat(ownerOf(existing)).isEqualTo("account-a");
        }));
    }
}
