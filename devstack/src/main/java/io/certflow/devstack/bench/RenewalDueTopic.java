package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * Reads {@code certflow.renewal-due} from its beginning, as issuance-service would, and keeps what
 * {@code ./certflow bench renewals} checks and times: each event id and how often it came, the certificates, when
 * the first and the last renewal were raised ({@code occurredAt}) and when the last new one reached the broker (the
 * record's time, set by the service's producer). It does not create the topic (the service creates it with its
 * partitions), and refreshes its metadata every second, so that it reads every partition as soon as it exists.
 */
final class RenewalDueTopic implements AutoCloseable {

    static final String TOPIC = "certflow.renewal-due";

    /** What was read so far. */
    record Seen(int records, int distinctEvents, int distinctCertificates, Set<String> certificates,
                Instant firstRaised, Instant lastRaised, Instant lastNewSent) {
        int duplicates() {
            return records - distinctEvents;
        }
    }

    private final String bootstrapServers;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Integer> events = new HashMap<>();
    private final Set<String> certificates = new HashSet<>();
    private int records;
    private Instant firstRaised;
    private Instant lastRaised;
    private Instant lastNewSent;
    private volatile boolean stop;
    private Thread thread;

    RenewalDueTopic(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts reading on a thread of its own (once the topic exists: the consumer does not create it). */
    void start() {
        thread = new Thread(this::read, "bench-renewal-due");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized Seen seen() {
        return new Seen(records, events.size(), certificates.size(), Set.copyOf(certificates), firstRaised, lastRaised,
                lastNewSent);
    }

    private void read() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "certflow-bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (!stop) {
                for (ConsumerRecord<String, String> r : consumer.poll(java.time.Duration.ofMillis(200))) {
                    add(r);
                }
            }
        }
    }

    private synchronized void add(ConsumerRecord<String, String> r) {
        records++;
        String id = header(r, "ce_id");
        try {
            JsonNode event = json.readTree(r.value());
            id = id != null ? id : event.path("eventId").asText();
            certificates.add(event.path("certificateId").asText());
            Instant raised = Instant.parse(event.path("occurredAt").asText());
            firstRaised = firstRaised == null || raised.isBefore(firstRaised) ? raised : firstRaised;
            lastRaised = lastRaised == null || raised.isAfter(lastRaised) ? raised : lastRaised;
        } catch (IOException | RuntimeException e) {
            // counted by its id only: the checks compare ids and certificates
        }
        Instant sent = Instant.ofEpochMilli(r.timestamp());
        if (events.merge(String.valueOf(id), 1, Integer::sum) == 1 && (lastNewSent == null || sent.isAfter(lastNewSent))) {
            lastNewSent = sent;
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        stop = true;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
