package io.certflow.hosting.bench;

import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.persistence.RenewalClaims;
import io.certflow.platform.outbox.OutboxRelay;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times, one at a time on a quiet store, the store calls hosting-service makes for its periodic jobs and for each
 * renewal, with the service's own classes: what one look of the renewal scheduler, one poll of the outbox relay,
 * one look of the expiry watch and one write of a certificate cost at this fleet size, apart from everything else
 * the running service does. (The fleet gauges are left to the service: on the Mongo wire server their aggregations
 * hold the whole collection in the server's memory.) The queries ask as of a time long past, so that they read what they would read
 * and change nothing; the versioned save rewrites one certificate that is not due, as the scheduler rewrites each
 * certificate whose renewal it starts. A call that fails (the store gave up) is reported, not thrown.
 */
public final class StoreProbe {

    /** One probed call: its name, the duration of each run, or why it failed (then no runs). */
    public record Timing(String key, String what, List<Duration> runs, String failure) {
        /** The median run. */
        public Duration median() {
            List<Duration> sorted = runs.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        /** The fastest run: the call's cost with the least interference from other processes. */
        public Duration fastest() {
            return runs.stream().min(Duration::compareTo).orElseThrow();
        }
    }

    private final MongoTemplate mongo;
    private final ManagedCertificateRepository certificates;

    public StoreProbe(MongoTemplate mongo) {
        this.mongo = mongo;
        this.certificates = new MongoRepositoryFactory(mongo).getRepository(ManagedCertificateRepository.class);
    }

    /**
     * Runs each probe {@code runs} times.
     *
     * @param notDueId a certificate that is not due, for the lookup and the versioned save
     */
    public List<Timing> run(Instant now, String notDueId, int runs) {
        Instant past = now.minus(Duration.ofDays(3650));
        RenewalClaims claims = new RenewalClaims(mongo);
        MongoMappingContext mapping = (MongoMappingContext) mongo.getConverter().getMappingContext();
        mapping.getPersistentEntity(ManagedCertificate.class);
        Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        KafkaTemplate<String, String> neverUsed = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(producer, new StringSerializer(), new StringSerializer()));
        OutboxRelay relay = new OutboxRelay(mongo, mapping, neverUsed, "/hosting-service-bench");

        Map<String, Runnable> probes = new LinkedHashMap<>();
        probes.put("due-query|renewal scheduler: due and unclaimed, earliest 100 (RenewalClaims.claimDue)",
                () -> claims.claimDue("bench-probe", past, Duration.ofMinutes(2), 100));
        probes.put("relay-poll|outbox relay's recovery scan: documents with a pending event (OutboxRelay.scan, none pending)",
                relay::scan);
        probes.put("watch-query|expiry watch: check time come, earliest 100",
                () -> certificates.findByAlertCheckAtLessThanEqualOrderByAlertCheckAtAsc(past, PageRequest.of(0, 100)));
        probes.put("find-by-id|one certificate by id (the _id index)", () -> certificates.findById(notDueId));
        probes.put("versioned-save|one versioned save of a certificate (as for each renewal started)",
                () -> certificates.save(certificates.findById(notDueId).orElseThrow()));

        List<Timing> timings = new ArrayList<>();
        for (Map.Entry<String, Runnable> probe : probes.entrySet()) {
            String[] name = probe.getKey().split("\\|", 2);
            List<Duration> durations = new ArrayList<>();
            try {
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    probe.getValue().run();
                    durations.add(Duration.ofNanos(System.nanoTime() - start));
                }
                timings.add(new Timing(name[0], name[1], durations, null));
            } catch (RuntimeException e) {
                timings.add(new Timing(name[0], name[1], List.of(), e.toString()));
            }
        }
        return timings;
    }
}
