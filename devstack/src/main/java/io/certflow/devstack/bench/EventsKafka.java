package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import io.certflow.events.CertflowEvent;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * The Kafka side of {@code ./certflow bench events}: creates the certflow topics as the services do, publishes
 * events as a certflow producer does (the value {@link EventJson}, the CloudEvents headers of
 * {@link CloudEventHeaders}, keyed by the event's subject) as fast as one producer can, and reads a consumer group's
 * committed offsets and the topics' end offsets through the admin API.
 */
final class EventsKafka implements AutoCloseable {

    /** The partitions of each certflow topic ({@code certflow.messaging.partitions}'s default). */
    static final int PARTITIONS = 3;
    /** {@code max.message.bytes} of the topics the services create: 1 MiB of value plus 64 KiB of headers. */
    private static final String MAX_MESSAGE_BYTES = Integer.toString(1024 * 1024 + 64 * 1024);

    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final String source;

    EventsKafka(String bootstrapServers, String source) {
        this.source = source;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /**
     * Every certflow topic and its dead-letter topic, as the services create them (partitions, maximum size), so that
     * a backlog can be published before the service ever ran.
     */
    void createTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            for (String name : List.of(topic, Topics.deadLetter(topic))) {
                topics.add(new NewTopic(name, PARTITIONS, (short) 1)
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, MAX_MESSAGE_BYTES)));
            }
        }
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new DevstackException("bench events: cannot create the topics: " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw failure("create the topics", e);
        }
    }

    /** What one publishing took. */
    record Published(long records, long bytes, long millis) {
        double perSecond() {
            return LagSamples.perSecond(records, millis);
        }
    }

    /**
     * Publishes events {@code from} … {@code from + n - 1} made by {@code events} on {@code topic}, as fast as the
     * producer takes them, and returns once the broker acknowledged every one.
     */
    Published publish(String topic, long from, long n, LongFunction<CertflowEvent> events) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long bytes = 0;
        long start = System.nanoTime();
        for (long i = from; i < from + n && failed.get() == null; i++) {
            CertflowEvent event = events.apply(i);
            String value = EventJson.write(event);
            bytes += value.length();
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.subject(), value);
            CloudEventHeaders.of(event, source)
                    .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            });
        }
        producer.flush();
        if (failed.get() != null) {
            throw new DevstackException("bench events: publishing to " + topic + " failed: " + failed.get().getMessage(),
                    failed.get());
        }
        return new Published(n, bytes, (System.nanoTime() - start) / 1_000_000);
    }

    /** The group's committed offsets on {@code topic}, summed over its partitions (0 for none committed). */
    long committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw failure("read the offsets of group " + group, e);
        }
    }

    /** The end offsets of each topic, summed over its partitions: the records ever written to it. */
    Map<String, Long> ends(Collection<String> topics) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            described.values().forEach(d -> d.partitions()
                    .forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<String, Long> ends = new LinkedHashMap<>();
            topics.forEach(t -> ends.put(t, 0L));
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> ends.merge(tp.topic(), info.offset(), Long::sum));
            return ends;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw failure("read the end offsets", e);
        }
    }

    long end(String topic) {
        return ends(List.of(topic)).get(topic);
    }

    /** Records on every dead-letter topic, by topic (only those holding any). */
    Map<String, Long> deadLetters() {
        Map<String, Long> held = new LinkedHashMap<>();
        ends(Topics.ALL.stream().map(Topics::deadLetter).toList()).forEach((t, n) -> {
            if (n > 0) {
                held.put(t, n);
            }
        });
        return held;
    }

    /** Records on the certflow topics other than {@code consumed} and the dead-letter topics: what the service raised. */
    Map<String, Long> raised(String consumed) {
        Map<String, Long> raised = new LinkedHashMap<>();
        ends(Topics.ALL.stream().filter(t -> !t.equals(consumed)).toList()).forEach((t, n) -> {
            if (n > 0) {
                raised.put(t, n);
            }
        });
        return raised;
    }

    private static DevstackException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new DevstackException("bench events: cannot " + what + ": " + cause, e);
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
