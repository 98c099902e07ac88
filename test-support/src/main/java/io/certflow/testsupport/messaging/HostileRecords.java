package io.certflow.testsupport.messaging;

import io.certflow.events.CertflowEvent;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Sends one record of every {@link HostileKind} to a topic and then a valid event, and checks what a
 * consumer must do with them: each hostile record is on {@code <topic>-dlt} with a readable reason that
 * repeats no secret, or is counted in {@code certflow.events.skipped{topic,reason}}; the 10 MB one is
 * dead-lettered without its value. Whether the valid event sent after all of them was applied (the
 * consumer went on) is the test's to show, in the store or on the topics.
 *
 * <p>All records go to partition 0, so the valid event is read after every hostile one. The topic is
 * made to accept 12 MiB values first (its {@code max.message.bytes}); the consumer under test must cope.
 */
public final class HostileRecords implements AutoCloseable {

    /** Header of a dead letter saying why (as {@code io.certflow.platform.messaging.MessagingConfiguration} writes it). */
    public static final String REASON_HEADER = "certflow_dlt-reason";

    private static final int TOPIC_LIMIT = 12 * 1024 * 1024;
    private static final int DEAD_LETTER_VALUE_LIMIT = 1024 * 1024;
    private static final String SKIPPED = "certflow.events.skipped";

    private final String bootstrapServers;
    private final MeterRegistry meters;
    private final KafkaProducer<String, byte[]> producer;

    /**
     * @param bootstrapServers the broker the service under test reads
     * @param meters           the service's registry, where skipped records are counted
     */
    public HostileRecords(String bootstrapServers, MeterRegistry meters) {
        this.bootstrapServers = bootstrapServers;
        this.meters = meters;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TOPIC_LIMIT),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends every hostile kind built from {@code template}, then {@code template} itself.
     *
     * @param template a valid event of the topic naming an aggregate that already exists and belongs to
     *                 {@code template.accountId()} (so that {@link HostileKind#OTHER_ACCOUNT} names another
     *                 account's aggregate); applying it is the test's proof that the consumer went on
     */
    public Round send(String topic, CertflowEvent template) {
        return send(topic, template, List.of(HostileKind.values()));
    }

    /**
     * Sends every hostile kind, then {@code valid}: for a topic whose valid event creates an aggregate
     * (a new purchase), the other account's event is built from {@code ofExistingAggregate} instead, an
     * event naming an aggregate that exists and belongs to its account.
     */
    public Round send(String topic, CertflowEvent valid, CertflowEvent ofExistingAggregate) {
        return send(topic, valid, ofExistingAggregate, List.of(HostileKind.values()));
    }

    /** Sends the given hostile kinds built from {@code template}, then {@code template} itself. */
    public Round send(String topic, CertflowEvent template, List<HostileKind> kinds) {
        return send(topic, template, template, kinds);
    }

    /**
     * Sends the given hostile kinds, then {@code valid}; the other account's event (if among the kinds) is built from
     * {@code ofExistingAggregate}.
     */
    public Round send(String topic, CertflowEvent valid, CertflowEvent ofExistingAggregate, List<HostileKind> kinds) {
        allowLargeValues(topic);
        HostileRecordFactory factory = new HostileRecordFactory();
        Map<HostileKind, ProducerRecord<String, byte[]>> sent = new EnumMap<>(HostileKind.class);
        Map<String, Double> skippedBefore = skipped(topic);
        for (HostileKind kind : kinds) {
            ProducerRecord<String, byte[]> record = factory.record(kind, topic,
                    kind == HostileKind.OTHER_ACCOUNT ? ofExistingAggregate : valid);
            publish(record);
            sent.put(kind, record);
        }
        publish(factory.valid(topic, valid));
        return new Round(topic, sent, skippedBefore);
    }

    /** What became of one round of hostile records. */
    public final class Round {

        private final String topic;
        private final Map<HostileKind, ProducerRecord<String, byte[]>> sent;
        private final Map<String, Double> skippedBefore;

        private Round(String topic, Map<HostileKind, ProducerRecord<String, byte[]>> sent, Map<String, Double> skippedBefore) {
            this.topic = topic;
            this.sent = sent;
            this.skippedBefore = skippedBefore;
        }

        /**
         * Waits until each hostile record is dead-lettered or counted as skipped, then checks the dead
         * letters: a reason, no secret in any header, no 10 MB value, and {@code account-mismatch} as the
         * reason of the other account's event.
         *
         * @return the dead letters found, by kind (kinds that were skipped are absent)
         * @throws AssertionError naming each kind that was neither dead-lettered nor counted
         */
        public Map<HostileKind, ConsumerRecord<String, byte[]>> assertEachDeadLetteredOrSkipped(Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            Map<HostileKind, ConsumerRecord<String, byte[]>> dead = Map.of();
            List<HostileKind> missing = List.copyOf(sent.keySet());
            Map<String, Double> skippedNow = Map.of();
            while (Instant.now().isBefore(deadline)) {
                dead = deadLetters();
                skippedNow = skipped(topic);
                missing = unaccounted(dead, skippedNow);
                if (missing.isEmpty()) {
                    break;
                }
                sleep(200);
            }
            if (!missing.isEmpty()) {
                throw new AssertionError("on " + topic + ", neither dead-lettered nor counted as skipped: " + missing
                        + "; dead-lettered: " + dead.keySet() + "; skipped before " + skippedBefore + ", now " + skippedNow);
            }
            dead.forEach(this::check);
            return dead;
        }

        private List<HostileKind> unaccounted(Map<HostileKind, ConsumerRecord<String, byte[]>> dead, Map<String, Double> skippedNow) {
            Map<String, Double> unusedSkips = new LinkedHashMap<>();
            skippedNow.forEach((reason, count) -> unusedSkips.put(reason, count - skippedBefore.getOrDefault(reason, 0.0)));
            List<HostileKind> missing = new ArrayList<>();
            for (HostileKind kind : sent.keySet()) {
                if (!dead.containsKey(kind) && !takeSkip(unusedSkips, kind)) {
                    missing.add(kind);
                }
            }
            return missing;
        }

        private boolean takeSkip(Map<String, Double> unusedSkips, HostileKind kind) {
            String required = switch (kind) {
                case UNKNOWN_CE_TYPE -> "unknown-type";
                case OTHER_ACCOUNT -> "account-mismatch";
                default -> null;
            };
            for (Map.Entry<String, Double> skip : unusedSkips.entrySet()) {
                if ((required == null || required.equals(skip.getKey())) && skip.getValue() >= 1) {
                    skip.setValue(skip.getValue() - 1);
                    return true;
                }
            }
            return false;
        }

        private void check(HostileKind kind, ConsumerRecord<String, byte[]> deadLetter) {
            String reason = text(deadLetter.headers().lastHeader(REASON_HEADER));
            if (reason == null || reason.isBlank()) {
                throw new AssertionError(kind + " on " + Topics.deadLetter(topic) + " has no " + REASON_HEADER + " header");
            }
            for (Header header : deadLetter.headers()) {
                String value = text(header);
                if (value != null && value.contains(HostileRecordFactory.SECRET)) {
                    throw new AssertionError(kind + " on " + Topics.deadLetter(topic) + ": header " + header.key()
                            + " repeats the secret of the value");
                }
            }
            if (kind == HostileKind.TEN_MEGABYTES && deadLetter.value() != null
                    && deadLetter.value().length > DEAD_LETTER_VALUE_LIMIT) {
                throw new AssertionError("the 10 MB record's dead letter carries " + deadLetter.value().length + " bytes");
            }
            if (kind == HostileKind.TEN_MEGABYTES && !reason.startsWith("record too large (")) {
                throw new AssertionError("the 10 MB record's reason is '" + reason + "', not 'record too large (N bytes)'");
            }
            if (kind == HostileKind.OTHER_ACCOUNT && !reason.startsWith("account-mismatch")) {
                throw new AssertionError("the other account's event's reason is '" + reason + "', not 'account-mismatch…'");
            }
        }

        private Map<HostileKind, ConsumerRecord<String, byte[]>> deadLetters() {
            Map<HostileKind, ConsumerRecord<String, byte[]>> found = new EnumMap<>(HostileKind.class);
            for (ConsumerRecord<String, byte[]> record : readAll(Topics.deadLetter(topic))) {
                sent.forEach((kind, hostile) -> {
                    if (hostile.key().equals(record.key()) && sameCeId(hostile, record)) {
                        found.put(kind, record);
                    }
                });
            }
            return found;
        }

        private boolean sameCeId(ProducerRecord<String, byte[]> hostile, ConsumerRecord<String, byte[]> deadLetter) {
            return Objects.equals(text(hostile.headers().lastHeader(CloudEventHeaders.ID)),
                    text(deadLetter.headers().lastHeader(CloudEventHeaders.ID)));
        }
    }

    /** The skipped-record counts of {@code topic}, by reason. */
    private Map<String, Double> skipped(String topic) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (Counter counter : meters.find(SKIPPED).tag("topic", topic).counters()) {
            counts.merge(String.valueOf(counter.getId().getTag("reason")), counter.count(), Double::sum);
        }
        return counts;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private void allowLargeValues(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String limit = Integer.toString(TOPIC_LIMIT);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, limit), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot raise max.message.bytes of " + topic, e);
        }
    }

    /** Sends one record; a 10 MB one is tried again while the broker has not yet applied the topic's new limit. */
    private void publish(ProducerRecord<String, byte[]> record) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RecordTooLargeException) || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("publish to " + record.topic() + " failed", e);
                }
                sleep(200);
            } catch (Exception e) {
                throw new IllegalStateException("publish to " + record.topic() + " failed", e);
            }
        }
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
