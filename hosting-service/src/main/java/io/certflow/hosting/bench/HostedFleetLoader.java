package io.certflow.hosting.bench;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads a fleet of hosted certificates into hosting-service's database for {@code ./certflow bench renewals}
 * ({@link HostedFleet}, written by {@link FleetLoader}), prints how long loading took, and optionally times the
 * service's periodic store calls on the loaded store ({@link StoreProbe}), without Kafka, HTTP or Spring.
 *
 * <p>Started from the service's jar (devstack must not depend on this module):
 * {@code java -cp hosting-service.jar -Dloader.main=io.certflow.hosting.bench.HostedFleetLoader
 * org.springframework.boot.loader.launch.PropertiesLauncher --mongo-uri=mongodb://127.0.0.1:P/certflow-hosting
 * --hosted=N --due=D [--seed=S] [--batch=1000] [--probe-runs=3] [--load=false] [--report=FILE] [--due-ids=FILE]}.
 * With {@code --load=false} the store is only probed, as it is (the same {@code --hosted}, {@code --due} and
 * {@code --seed} name a certificate that is not due).
 * The report file gets {@code key=value} lines (durations in milliseconds) for the benchmark to read; the due-ids
 * file the ids of the due certificates, one a line.
 */
public final class HostedFleetLoader {

    private HostedFleetLoader() {
    }

    public static void main(String[] args) throws IOException {
        LoggingSystem logging = LoggingSystem.get(HostedFleetLoader.class.getClassLoader());
        logging.beforeInitialize();
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);

        Map<String, String> options = options(args);
        ConnectionString uri = new ConnectionString(required(options, "mongo-uri"));
        int hosted = Integer.parseInt(required(options, "hosted"));
        int due = Integer.parseInt(required(options, "due"));
        long seed = Long.parseLong(options.getOrDefault("seed", "20261127"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "1000"));
        int probeRuns = Integer.parseInt(options.getOrDefault("probe-runs", "3"));
        HostedFleet fleet = new HostedFleet(hosted, due, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), seed);

        Map<String, String> report = new java.util.LinkedHashMap<>();
        try (MongoClient client = MongoClients.create(uri)) {
            MongoTemplate mongo = new MongoTemplate(client, uri.getDatabase() == null ? "certflow-hosting" : uri.getDatabase());
            if (!"false".equals(options.get("load"))) {
                int step = Math.max(batch, hosted / 20 / batch * batch);
                long started = System.nanoTime();
                FleetLoader.Loaded loaded = new FleetLoader(mongo, batch).load(fleet, n -> {
                    if (n % step == 0 || n == hosted) {
                        System.out.printf(Locale.ROOT, "loader: %d of %d certificates inserted (%.0f s)%n", n, hosted,
                                (System.nanoTime() - started) / 1e9);
                    }
                });
                System.out.printf(Locale.ROOT, "loader: loaded %d hosted certificates (%d due now) in %.1f s, %.0f per"
                        + " second%n", loaded.certificates(), loaded.due(), loaded.took().toMillis() / 1000.0,
                        loaded.perSecond());
                report.put("hosted", Integer.toString(loaded.certificates()));
                report.put("due", Integer.toString(loaded.due()));
                report.put("load.ms", Long.toString(loaded.took().toMillis()));
                report.put("bytes", Long.toString(loaded.bytes()));
                report.put("now", fleet.now().toString());
            }
            if (probeRuns > 0) {
                int notDue = 0;
                while (fleet.isDue(notDue)) {
                    notDue++;
                }
                for (StoreProbe.Timing t : new StoreProbe(mongo).run(fleet.now(), fleet.id(notDue), probeRuns)) {
                    report.put("probe." + t.key() + ".what", t.what());
                    if (t.failure() != null) {
                        System.out.printf(Locale.ROOT, "probe: %s: failed: %s%n", t.what(), t.failure());
                        report.put("probe." + t.key() + ".failed", t.failure().replaceAll("\\s+", " "));
                        continue;
                    }
                    System.out.printf(Locale.ROOT, "probe: %s: fastest %d ms, median %d ms (%s)%n", t.what(),
                            t.fastest().toMillis(), t.median().toMillis(),
                            t.runs().stream().map(d -> d.toMillis() + " ms").collect(Collectors.joining(", ")));
                    report.put("probe." + t.key() + ".ms", Long.toString(t.median().toMillis()));
                    report.put("probe." + t.key() + ".fastest-ms", Long.toString(t.fastest().toMillis()));
                }
            }
        }
        if (options.containsKey("due-ids")) {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(options.get("due-ids"))))) {
                for (int i = 0; i < hosted; i++) {
                    if (fleet.isDue(i)) {
                        out.println(fleet.id(i));
                    }
                }
            }
        }
        if (options.containsKey("report")) {
            Files.write(Path.of(options.get("report")), report.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
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
