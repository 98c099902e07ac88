package io.certflow.testsupport;

import io.certflow.events.CertflowEvent;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.EventType;
import io.certflow.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a test sees of the topics: it publishes events as a real producer does (CloudEvents
 * headers, JSON value) and reads every record of every certflow topic and dead-letter topic from
 * the beginning, so a test can assert on the events a service published.
 */
public class TopicProbe implements DisposableBean {

    private final String bootstrapServers;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private KafkaProducer<String, String> producer;
    private Thread reader;
    private volatile boolean running = true;

    @Autowired
    public TopicProbe(Environment environment) {
        this(environment.getRequiredProperty("spring.kafka.bootstrap-servers"));
    }

    /** A probe outside Spring, e.g. for a system test against a running broker. */
    public TopicProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes an event on its topic, keyed by its subject, with CloudEvents headers. */
    public void publish(CertflowEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(EventType.of(event.getClass()).topic(),
                event.subject(), EventJson.write(event));
        CloudEventHeaders.of(event, "/test").forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    /** Publishes a record as it is, e.g. a malformed one. */
    public void publishRaw(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    /** Publishes every record read so far once more, exactly as it was, headers included. */
    public int republishAll(Predicate<String> topicFilter) {
        List<ConsumerRecord<String, String>> snapshot = new ArrayList<>(records);
        int count = 0;
        for (ConsumerRecord<String, String> record : snapshot) {
            if (!topicFilter.test(record.topic())) {
                continue;
            }
            ProducerRecord<String, String> copy = new ProducerRecord<>(record.topic(), record.key(), record.value());
            for (Header header : record.headers()) {
                copy.headers().add(header.key(), header.value());
            }
            send(copy);
            count++;
        }
        return count;
    }

    /** Waits for the first event of {@code type} that matches, or fails after {@code timeout}. */
    public <T extends CertflowEvent> T await(Class<T> type, Predicate<T> matching, Duration timeout) {
        ensureReading();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> found = all(type).stream().filter(matching).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(50);
        }
        throw new AssertionError("no " + type.getSimpleName() + " matching within " + timeout
                + "; seen: " + all(type));
    }

    /** Every event of {@code type} read so far, in the order read (duplicates included). */
    public <T extends CertflowEvent> List<T> all(Class<T> type) {
        ensureReading();
        EventType eventType = EventType.of(type);
        List<T> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Header header = record.headers().lastHeader(CloudEventHeaders.TYPE);
            if (record.topic().equals(eventType.topic()) && header != null
                    && eventType.ceType().equals(new String(header.value(), StandardCharsets.UTF_8))) {
                events.add(type.cast(EventJson.read(record.value().getBytes(StandardCharsets.UTF_8), type)));
            }
        }
        return events;
    }

    /** Every record read so far on {@code topic}. */
    public List<ConsumerRecord<String, String>> records(String topic) {
        ensureReading();
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** The records of {@code topic}'s dead-letter topic, waiting up to {@code timeout} for at least {@code count}. */
    public List<ConsumerRecord<String, String>> awaitDeadLetters(String topic, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<ConsumerRecord<String, String>> found = records(Topics.deadLetter(topic));
        while (found.size() < count && Instant.now().isBefore(deadline)) {
            sleep(50);
            found = records(Topics.deadLetter(topic));
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " dead letters on " + Topics.deadLetter(topic) + ", got " + found.size());
        }
        return found;
    }

    /** A header of a record as text, or null. */
    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private synchronized void send(ProducerRecord<String, String> record) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publish to " + record.topic() + " failed", e);
        }
    }

    /** Starts reading every certflow topic from the beginning (reading also starts on first use). */
    public TopicProbe start() {
        ensureReading();
        return this;
    }

    private synchronized void ensureReading() {
        if (reader != null) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<String> topics = new ArrayList<>();
            for (String topic : Topics.ALL) {
                topics.add(topic);
                topics.add(Topics.deadLetter(topic));
            }
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((name, description) -> description.partitions()
                            .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe certflow topics", e);
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(() -> {
            try (consumer) {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            }
        }, "topic-probe");
        reader.setDaemon(true);
        reader.start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops reading and publishing. */
    public void close() throws InterruptedException {
        destroy();
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        if (reader != null) {
            reader.join(5000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
