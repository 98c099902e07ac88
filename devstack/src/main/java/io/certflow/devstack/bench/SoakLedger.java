package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * What the soak run reads back from the topics, from the first record on: the certificates requested, every
 * {@code CertificateIssued} (by attempt, with the serial it replaces), the certificates that failed, every
 * {@code RenewalDue}, every {@code DeploymentCompleted}, the dead letters, and when each progress event arrived. It
 * exists so that the soak's verdict (lost, duplicated, recovery times) comes from the events users see, not from
 * the services' own word. The broker may be stopped meanwhile: the consumer reconnects.
 */
final class SoakLedger implements AutoCloseable {

    /** One {@code CertificateIssued}. */
    record Issued(String certificateId, String attemptId, String eventId, String serial, String replaces) {
    }

    private static final Pattern TOPICS = Pattern.compile("certflow\\..*");

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<String>> requested = new ConcurrentHashMap<>();
    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final Map<String, String> failed = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> renewalsDue = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> deploymentJobsPerVersion = new ConcurrentHashMap<>();
    private final Map<String, Integer> deadLetters = new ConcurrentHashMap<>();
    private final List<Instant> progress = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    private SoakLedger(String bootstrapServers) {
        reader = new Thread(() -> read(bootstrapServers), "soak-ledger");
        reader.setDaemon(true);
    }

    static SoakLedger start(String bootstrapServers) {
        SoakLedger ledger = new SoakLedger(bootstrapServers);
        ledger.reader.start();
        return ledger;
    }

    private void read(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "certflow-soak-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "2000"); // topics created during the run are found soon
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(TOPICS);
            while (running) {
                try {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        take(r.topic(), r.value());
                    }
                } catch (RuntimeException e) {
                    // the broker is down or restarting: poll again
                }
            }
        }
    }

    private void take(String topic, String value) {
        if (topic.endsWith("-dlt")) {
            deadLetters.merge(topic, 1, Integer::sum);
            return;
        }
        JsonNode e;
        try {
            e = json.readTree(value);
        } catch (IOException ex) {
            return;
        }
        String certificateId = e.path("certificateId").asText();
        switch (topic) {
            case "certflow.certificate-requested" -> {
                List<String> domains = new ArrayList<>();
                e.path("domains").forEach(d -> domains.add(d.asText()));
                requested.putIfAbsent(certificateId, List.copyOf(domains));
            }
            case "certflow.certificate-issued" -> {
                issued.add(new Issued(certificateId, e.path("attemptId").asText(), e.path("eventId").asText(),
                        e.path("serialNumber").asText(), e.path("replacesSerialNumber").asText(null)));
                progress.add(Instant.now());
            }
            case "certflow.issuance-failed" -> failed.put(certificateId, e.path("reason").asText());
            case "certflow.renewal-due" -> renewalsDue.computeIfAbsent(certificateId, k -> ConcurrentHashMap.newKeySet())
                    .add(e.path("currentSerialNumber").asText());
            case "certflow.deployment-completed" -> {
                deploymentJobsPerVersion.computeIfAbsent(certificateId + "/" + e.path("serialNumber").asText(),
                        k -> ConcurrentHashMap.newKeySet()).add(e.path("jobId").asText());
                progress.add(Instant.now());
            }
            default -> progress.add(Instant.now());
        }
    }

    /** The certificates requested, with their domains. */
    Map<String, List<String>> requested() {
        return Map.copyOf(requested);
    }

    List<Issued> issued() {
        return List.copyOf(issued);
    }

    /** The first serial issued for a certificate (not a renewal), if any. */
    Optional<String> firstSerial(String certificateId) {
        return issued.stream().filter(i -> i.certificateId().equals(certificateId) && i.replaces() == null)
                .map(Issued::serial).findFirst();
    }

    boolean renewedFrom(String certificateId, String serial) {
        return issued.stream().anyMatch(i -> i.certificateId().equals(certificateId) && serial.equals(i.replaces()));
    }

    Map<String, String> failed() {
        return Map.copyOf(failed);
    }

    Map<String, Set<String>> renewalsDue() {
        return Map.copyOf(renewalsDue);
    }

    Map<String, Set<String>> deploymentJobsPerVersion() {
        return Map.copyOf(deploymentJobsPerVersion);
    }

    Map<String, Integer> deadLetters() {
        return Map.copyOf(deadLetters);
    }

    /** The first progress event (any certflow event) that arrived after {@code after}. */
    Optional<Instant> progressAfter(Instant after) {
        return progress.stream().filter(t -> t.isAfter(after)).min(Instant::compareTo);
    }

    /** The requests and renewals without an outcome ({@code CertificateIssued} or {@code IssuanceFailed}). */
    List<String> lost() {
        List<String> lost = new ArrayList<>();
        for (String certificateId : requested.keySet()) {
            if (firstSerial(certificateId).isEmpty() && !failed.containsKey(certificateId)) {
                lost.add("CertificateRequested " + certificateId);
            }
        }
        renewalsDue.forEach((certificateId, serials) -> serials.forEach(serial -> {
            if (!renewedFrom(certificateId, serial) && !failed.containsKey(certificateId)) {
                lost.add("RenewalDue " + certificateId + " of " + serial);
            }
        }));
        return lost;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(5000);
    }
}
