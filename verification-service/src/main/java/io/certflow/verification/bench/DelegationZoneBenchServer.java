package io.certflow.verification.bench;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.certflow.verification.dns.server.ChallengeRecordStore;
import io.certflow.verification.dns.server.DelegationZoneServer;
import io.certflow.verification.dns.server.DnsServerSettings;
import io.certflow.verification.persistence.ChallengeRecords;
import io.certflow.verification.persistence.MongoChallengeRecordStore;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.index.IndexOperations;
import org.springframework.data.mongodb.core.index.MongoPersistentEntityIndexResolver;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The delegation zone's DNS server alone, for {@code ./certflow bench dns}: the service's own
 * {@link DelegationZoneServer} reading the service's own {@link MongoChallengeRecordStore}, without
 * Kafka, HTTP or Spring. It stores the challenge records of a file as {@link ChallengeRecords}
 * documents (published, as after a ChallengeRequested), serves them until it is stopped, and can
 * serve them from memory instead to show what the server costs apart from its database.
 *
 * <p>Started from the service's jar (devstack must not depend on this module):
 * {@code java -cp verification-service.jar -Dloader.main=io.certflow.verification.bench.DelegationZoneBenchServer
 * org.springframework.boot.loader.launch.PropertiesLauncher --records=FILE --port=N
 * [--mongo-uri=mongodb://127.0.0.1:P/db | --store=memory] [--zone=acme.certflow.test.] [--workers=4]}.
 * The records file holds one {@code <name> <txt value>} per line; consecutive lines of one name are
 * one attempt's document. Response rate limiting is off: one benchmark client is one source.
 */
public final class DelegationZoneBenchServer {

    private DelegationZoneBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        LoggingSystem logging = LoggingSystem.get(DelegationZoneBenchServer.class.getClassLoader());
        logging.beforeInitialize();
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        logging.setLogLevel("io.certflow", LogLevel.INFO);

        Map<String, String> options = options(args);
        String zone = options.getOrDefault("zone", "acme.certflow.test.");
        int port = Integer.parseInt(required(options, "port"));
        int workers = Integer.parseInt(options.getOrDefault("workers", "4"));
        Map<String, List<String>> records = read(Path.of(required(options, "records")));

        ChallengeRecordStore store;
        MongoClient client = null;
        if ("memory".equals(options.get("store"))) {
            store = name -> records.getOrDefault(name, List.of());
        } else {
            ConnectionString uri = new ConnectionString(required(options, "mongo-uri"));
            client = MongoClients.create(uri);
            MongoTemplate mongo = template(client, uri.getDatabase() == null ? "certflow-verification" : uri.getDatabase());
            publish(mongo, records);
            store = new MongoChallengeRecordStore(mongo);
        }

        DnsServerSettings settings = new DnsServerSettings(zone, "127.0.0.1", port, null, "127.0.0.1", null, null,
                null, workers, 0, null, 0, 0);
        DelegationZoneServer server = new DelegationZoneServer(settings, store, Instant.now().getEpochSecond());
        server.start();
        System.out.printf("zone server ready on 127.0.0.1:%d: %d names from %s, %d workers%n", server.port(),
                records.size(), client == null ? "memory" : "the Mongo wire server", workers);

        CountDownLatch stopped = new CountDownLatch(1);
        MongoClient toClose = client;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            if (toClose != null) {
                toClose.close();
            }
            stopped.countDown();
        }, "bench-zone-shutdown"));
        stopped.await();
    }

    /** A template as the service has one: mapped documents, and the indexes their annotations declare. */
    private static MongoTemplate template(MongoClient client, String database) {
        MongoTemplate mongo = new MongoTemplate(client, database);
        mongo.dropCollection(ChallengeRecords.class);
        IndexOperations indexes = mongo.indexOps(ChallengeRecords.class);
        MongoMappingContext mapping = (MongoMappingContext) mongo.getConverter().getMappingContext();
        new MongoPersistentEntityIndexResolver(mapping).resolveIndexFor(ChallengeRecords.class).forEach(indexes::createIndex);
        return mongo;
    }

    /** One published document per name, as ChallengeService stores an attempt's records. */
    private static void publish(MongoTemplate mongo, Map<String, List<String>> records) {
        Instant now = Instant.now();
        List<ChallengeRecords> documents = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, List<String>> name : records.entrySet()) {
            n++;
            String domain = "bench-" + n + ".example";
            ChallengeRecords document = ChallengeRecords.create("bench", "crt_bench_" + n, "att_bench_" + n);
            document.publish(UUID.randomUUID(), name.getValue().stream()
                    .map(v -> new ChallengeRecords.Entry(domain, name.getKey(), v)).toList(), now, now.plus(Duration.ofDays(1)));
            documents.add(document);
        }
        mongo.insertAll(documents);
    }

    private static Map<String, List<String>> read(Path file) throws IOException {
        Map<String, List<String>> records = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length == 2 && !parts[0].startsWith("#")) {
                String name = parts[0].toLowerCase(Locale.ROOT);
                records.computeIfAbsent(name.endsWith(".") ? name : name + ".", k -> new ArrayList<>()).add(parts[1]);
            }
        }
        return records;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, not " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + "= is required");
        }
        return value;
    }
}
