package io.certflow.devstack.bench;

import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.KafkaProcess;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.MongoWireProcess;
import io.certflow.devstack.Ports;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./certflow bench renewals}: whether hosting-service keeps its promise with a large fleet. Starts Kafka and
 * the Mongo wire server as {@code ./certflow up} runs them (H2 file, or in memory for comparison), loads N hosted
 * certificates of which D are due now ({@link BenchFleetLoader}, the service's own domain classes), times the
 * service's store calls on the loaded store one at a time, then starts the real hosting-service from its jar and
 * measures: from its start (and from the first renewal it raised) until all D {@code RenewalDue} are on
 * {@code certflow.renewal-due} — each once, none for a certificate that is not due —, then the CPU of the service
 * and of the store while nothing is due for S seconds, and the heap each really holds (after a full GC). The report
 * (also appended to {@code <home>/bench/results.md}) names the machine, its load, the date and the command.
 */
public final class RenewalBench {

    /**
     * What to run.
     *
     * @param hosted      certificates loaded
     * @param due         of them due now
     * @param steady      seconds of steady state measured once all are raised
     * @param timeout     how long the service may take to raise all due renewals
     * @param memoryStore keep the store's data in memory instead of the H2 file
     * @param mongoHeap   the store's {@code -Xmx}; null: {@code ./certflow up}'s for the file, enough for the fleet in memory
     * @param probeRuns   runs of each store call timed after loading (0: none)
     */
    public record Options(int hosted, int due, int steady, Duration timeout, boolean memoryStore, String mongoHeap,
                          int probeRuns) {

        public Options {
            if (due > hosted) {
                throw new DevstackException("bench renewals: --due " + due + " is more than --hosted " + hosted);
            }
        }

        public static Options parse(List<String> args) {
            int hosted = 1_000_000;
            int due = 10_000;
            int steady = 60;
            int timeoutMinutes = 20;
            boolean memory = false;
            String heap = null;
            Integer probeRuns = null;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--hosted" -> hosted = BenchOptions.positive("renewals", a, args, ++i);
                    case "--due" -> due = BenchOptions.positive("renewals", a, args, ++i);
                    case "--steady" -> steady = BenchOptions.positive("renewals", a, args, ++i);
                    case "--timeout-minutes" -> timeoutMinutes = BenchOptions.positive("renewals", a, args, ++i);
                    case "--memory-store" -> memory = true;
                    case "--mongo-heap" -> {
                        heap = BenchOptions.value("renewals", a, args, ++i);
                        if (!heap.matches("[0-9]+[mgMG]")) {
                            throw new DevstackException("bench renewals: --mongo-heap needs a size such as 512m or 8g, not " + heap);
                        }
                    }
                    case "--probe-runs" -> probeRuns = BenchOptions.positive("renewals", a, args, ++i);
                    case "--no-probe" -> probeRuns = 0;
                    default -> throw new DevstackException("bench renewals: unknown option " + a);
                }
            }
            return new Options(hosted, due, steady, Duration.ofMinutes(timeoutMinutes), memory, heap,
                    probeRuns != null ? probeRuns : hosted <= 100_000 ? 3 : 1);
        }

        /** The store's heap: as given, else {@code ./certflow up}'s for the file, else about 12 KiB a certificate. */
        String storeHeap() {
            if (mongoHeap != null) {
                return mongoHeap;
            }
            if (!memoryStore) {
                return MongoWireProcess.DEFAULT_MAX_HEAP;
            }
            return (long) Math.ceil((hosted * 12.0 * 1024 + 512.0 * 1024 * 1024) / (1024.0 * 1024 * 1024)) + "g";
        }
    }

    /** How long loading may take. */
    private static final Duration LOAD_TIMEOUT = Duration.ofHours(3);

    private final StackConfig base;
    private final PrintStream out;

    public RenewalBench(StackConfig base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    /** What one run saw, filled in as it goes; null where it did not get that far. */
    private static final class Run {
        Map<String, String> loaded = Map.of();
        Set<String> dueIds = Set.of();
        long storeFileBytes = -1;
        /** Why the store had to be restarted after the loader's store calls. */
        String storeLost;
        Instant start;
        Instant ready;
        Instant done;
        Instant ended;
        String failure;
        RenewalDueTopic.Seen seen;
        Started started = new Started(0, null, null);
        ProcessUsage serviceDuring;
        ProcessUsage storeDuring;
        Steady steady;
        Long serviceHeapKb;
        Long storeHeapKb;
        ProcessUsage serviceAtEnd;
        ProcessUsage storeAtEnd;
        List<String> warnings = List.of();
    }

    /** The renewals the scheduler logged as started (each after its write): how many, the first and the last. */
    record Started(int count, Instant first, Instant last) {
    }

    /** CPU of the service and the store over the steady phase. */
    private record Steady(Duration wall, long serviceCpuMillis, long storeCpuMillis, int newRenewals) {
    }

    /** Runs the benchmark and returns the report (markdown). */
    public String run(Options options, String commandLine) {
        Path home = BenchHome.fresh(base, "renewals");
        StackConfig config = base.withHome(home).withPorts(Ports.free()).withDetached(false)
                .withStartTimeout(Duration.ofMinutes(5));
        String loadBefore = DnsBench.loadAverage();
        out.printf("bench: %d hosted certificates, %d due; store: the Mongo wire server (%s, -Xmx%s); load average %s%n",
                options.hosted(), options.due(), options.memoryStore() ? "memory" : "H2 file", options.storeHeap(),
                loadBefore);
        MongoWireProcess mongo = options.memoryStore() ? MongoWireProcess.inMemory(config, options.storeHeap())
                : options.mongoHeap() != null ? MongoWireProcess.withHeap(config, options.mongoHeap())
                : new MongoWireProcess(config);
        KafkaProcess kafka = new KafkaProcess(config);
        ServiceProcess hosting = new ServiceProcess(config, Component.HOSTING_SERVICE);
        Run run = new Run();
        try (RenewalDueTopic topic = new RenewalDueTopic(config.kafkaBootstrapServers())) {
            out.println("bench: starting Kafka and the Mongo wire server in " + home);
            mongo.start();
            kafka.start();
            if (load(options, config, mongo, run)) {
                renew(options, config, mongo, hosting, topic, run);
            }
            run.seen = topic.seen();
            run.serviceHeapKb = hosting.handle().flatMap(h -> LiveHeap.afterFullGc(h.pid())).orElse(null);
            run.storeHeapKb = mongo.handle().flatMap(h -> LiveHeap.afterFullGc(h.pid())).orElse(null);
            run.serviceAtEnd = usage(hosting).orElse(null);
            run.storeAtEnd = usage(mongo).orElse(null);
            run.started = BenchLogs.renewalsStarted(hosting.logFile());
            run.warnings = BenchLogs.warnings(hosting.logFile());
        } finally {
            hosting.stop();
            kafka.stop();
            mongo.stop();
        }
        String report = report(commandLine, options, run, loadBefore, DnsBench.loadAverage());
        BenchHome.save(base, report, out);
        return report;
    }

    /**
     * Loads and probes the fleet; a store that fails meanwhile is restarted on its file. Whether the store is up for
     * the service.
     */
    private boolean load(Options options, StackConfig config, MongoWireProcess mongo, Run run) {
        out.printf("bench: loading %d certificates (%d due) through hosting-service's HostedFleetLoader%s%n",
                options.hosted(), options.due(), options.probeRuns() > 0 ? ", then timing its store calls" : "");
        BenchFleetLoader loader = new BenchFleetLoader(config);
        run.loaded = loader.load(new BenchFleetLoader.Fleet(options.hosted(), options.due(), options.probeRuns()),
                LOAD_TIMEOUT);
        try {
            run.dueIds = new HashSet<>(Files.readAllLines(loader.dueIds()));
        } catch (IOException e) {
            throw new DevstackException("cannot read " + loader.dueIds() + ": " + e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "  loaded in %s%n", seconds(millis(run.loaded, "load.ms")));
        run.storeFileBytes = mongo.isInMemory() ? -1 : size(mongo.dataFile());
        Optional<String> probeFailure = run.loaded.entrySet().stream().filter(e -> e.getKey().endsWith(".failed"))
                .map(Map.Entry::getValue).findFirst();
        if (answers(mongo) && probeFailure.isEmpty()) {
            return true;
        }
        run.storeLost = "the Mongo wire server failed while the loader timed the service's store calls"
                + probeFailure.map(f -> ": " + BenchLogs.storeError(f)).orElse(BenchLogs.firstError(mongo.logFile()));
        out.println("bench: " + run.storeLost);
        mongo.stop();
        if (mongo.isInMemory()) {
            run.failure = "the data were in memory only";
            return false;
        }
        out.println("bench: restarting it on the same H2 file");
        try {
            mongo.start();
            return true;
        } catch (DevstackException e) {
            run.failure = "the H2 file did not open again" + BenchLogs.firstError(mongo.logFile());
            out.println("bench: " + run.failure);
            return false;
        }
    }

    /**
     * Starts the service and waits until all due renewals are on the topic, a process fails or time runs out; then,
     * if all are out, measures the steady state.
     */
    private void renew(Options options, StackConfig config, MongoWireProcess mongo, ServiceProcess hosting,
                       RenewalDueTopic topic, Run run) {
        out.println("bench: starting hosting-service; waiting for " + options.due() + " RenewalDue on " + RenewalDueTopic.TOPIC
                + " (at most " + options.timeout().toMinutes() + " min)");
        ProcessUsage storeBefore = usage(mongo).orElseThrow(() -> new DevstackException("the Mongo wire server is not running"));
        run.start = Instant.now();
        try {
            hosting.startAsync();
            hosting.awaitReady(config.startTimeout());
            run.ready = Instant.now();
            topic.start(); // the service has created the topic with its partitions; read from the beginning
        } catch (DevstackException e) {
            run.failure = "hosting-service did not start" + BenchLogs.firstError(hosting.logFile());
        }
        Instant deadline = run.start.plus(options.timeout());
        Instant nextProgress = Instant.now().plusSeconds(30);
        while (run.failure == null && run.done == null) {
            Optional<ProcessUsage> service = usage(hosting);
            Optional<ProcessUsage> store = usage(mongo);
            if (service.isPresent() && store.isPresent()) {
                run.serviceDuring = service.get();
                run.storeDuring = new ProcessUsage(store.get().cpuMillis() - storeBefore.cpuMillis(), store.get().peakRssKb());
            }
            String after = seconds(Duration.between(run.start, Instant.now()));
            int seen = topic.seen().distinctEvents();
            if (seen >= options.due()) {
                run.done = Instant.now();
            } else if (!answers(mongo)) {
                run.failure = "the Mongo wire server failed " + after + " after the service started"
                        + BenchLogs.firstError(mongo.logFile());
            } else if (service.isEmpty()) {
                run.failure = "hosting-service exited " + after + " after it started" + BenchLogs.firstError(hosting.logFile());
            } else if (Instant.now().isAfter(deadline)) {
                run.failure = "not all raised within " + options.timeout().toMinutes() + " min";
            } else {
                if (Instant.now().isAfter(nextProgress) && run.storeDuring != null) {
                    out.printf(Locale.ROOT, "  %d of %d on the topic after %s (CPU so far: hosting-service %s, store %s)%n",
                            seen, options.due(), after, seconds(Duration.ofMillis(run.serviceDuring.cpuMillis())),
                            seconds(Duration.ofMillis(run.storeDuring.cpuMillis())));
                    nextProgress = nextProgress.plusSeconds(30);
                }
                ManagedProcess.sleep(250);
            }
        }
        run.ended = Instant.now();
        if (run.done == null) {
            out.println("bench: " + run.failure);
            return;
        }
        out.printf("bench: all %d raised after %s; steady state for %d s%n", options.due(),
                seconds(Duration.between(run.start, run.done)), options.steady());
        run.steady = steady(options, hosting, mongo, topic);
    }

    private Steady steady(Options options, ServiceProcess hosting, MongoWireProcess mongo, RenewalDueTopic topic) {
        int before = topic.seen().records();
        Optional<ProcessUsage> service0 = usage(hosting);
        Optional<ProcessUsage> store0 = usage(mongo);
        long start = System.nanoTime();
        ManagedProcess.sleep(options.steady() * 1000L);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Optional<ProcessUsage> service1 = usage(hosting);
        Optional<ProcessUsage> store1 = usage(mongo);
        long serviceCpu = service0.isPresent() && service1.isPresent() ? service1.get().cpuMillis() - service0.get().cpuMillis() : -1;
        long storeCpu = store0.isPresent() && store1.isPresent() ? store1.get().cpuMillis() - store0.get().cpuMillis() : -1;
        return new Steady(wall, serviceCpu, storeCpu, topic.seen().records() - before);
    }

    /** Whether the store's process runs and accepts connections (after an OutOfMemoryError it may do neither). */
    private static boolean answers(MongoWireProcess mongo) {
        return mongo.isRunning() && Ports.isListening(mongo.port());
    }

    private static Optional<ProcessUsage> usage(ManagedProcess process) {
        return process.handle().flatMap(h -> ProcessUsage.of(h.pid()));
    }

    private String report(String commandLine, Options options, Run run, String loadBefore, String loadAfter) {
        Map<String, String> l = run.loaded;
        RenewalDueTopic.Seen seen = run.seen;
        StringBuilder r = new StringBuilder(BenchHome.heading(commandLine));
        r.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) before ")
                .append(loadBefore).append(", after ").append(loadAfter).append(".\n\n");
        r.append(String.format(Locale.ROOT, "Fleet: %,d hosted certificates, %,d of them due now (planned in the 30"
                        + " minutes before loading), the others 14 days to 8 months later; documents of %,d bytes on"
                        + " average as BSON, %s in all. Store: the Mongo wire server (mongo-java-server 1.47, %s,"
                        + " -Xmx%s). hosting-service from its jar with its defaults (renewal check every 10 s, batches of"
                        + " 100, outbox relay publishing each save by id, recovery scan every 5 s) and devstack's JVM options (%s).%n%n",
                options.hosted(), options.due(), parseLong(l.get("bytes")) / Math.max(1, options.hosted()),
                mib(parseLong(l.get("bytes"))), options.memoryStore() ? "data in memory" : "H2 file",
                options.storeHeap(), String.join(" ", base.serviceJvmArgs())));

        r.append("| step | figure |\n|---|---|\n");
        long loadMs = millis(l, "load.ms").toMillis();
        r.append(String.format(Locale.ROOT, "| load %,d certificates (bulk inserts of 1000) | %s (%,.0f per second) |%n",
                options.hosted(), seconds(Duration.ofMillis(loadMs)), options.hosted() / Math.max(0.001, loadMs / 1000.0)));
        if (run.storeFileBytes >= 0) {
            r.append("| H2 file after loading | ").append(mib(run.storeFileBytes)).append(" |\n");
        }
        if (run.storeLost != null) {
            r.append("| **store calls** | ").append(run.storeLost)
                    .append(storeOnFile(options) ? "; restarted on the same file before the service started |\n" : " |\n");
        }
        Started started = run.started;
        if (run.start != null) {
            r.append("| service start → ready (health UP) | ").append(since(run.start, run.ready)).append(" |\n");
            r.append("| service start → first RenewalDue raised (its batch claimed) | ")
                    .append(since(run.start, seen.firstRaised())).append(" |\n");
        }
        if (started.count() > 0) {
            Duration saving = Duration.between(started.first(), started.last());
            r.append(String.format(Locale.ROOT, "| first → last renewal started (the scheduler's writes, from its log) |"
                            + " %s for %,d (%.1f per second) |%n", seconds(saving), started.count(),
                    (started.count() - 1) / Math.max(0.001, saving.toMillis() / 1000.0)));
        }
        if (run.done != null) {
            if (started.count() > 0) {
                r.append("| last renewal started → last on the topic (outbox relay) | ")
                        .append(since(started.last(), seen.lastNewSent())).append(" |\n");
            }
            r.append("| **service start → all on the topic** | **").append(since(run.start, seen.lastNewSent()))
                    .append("** |\n");
        } else {
            r.append("| **not done** | ").append(run.failure).append(": ").append(pace(options, run)).append(" |\n");
        }
        Set<String> notDue = new HashSet<>(seen.certificates());
        notDue.removeAll(run.dueIds);
        r.append(String.format(Locale.ROOT, "| RenewalDue on the topic | %,d distinct of %,d due, %d duplicates,"
                        + " %d for certificates not due, %,d certificates |%n", seen.distinctEvents(), options.due(),
                seen.duplicates(), notDue.size(), seen.distinctCertificates()));
        if (run.serviceDuring != null && run.storeDuring != null) {
            Duration wall = Duration.between(run.start, run.ended);
            r.append(String.format(Locale.ROOT, "| CPU from the service's start until then: hosting-service / store | %s / %s"
                            + " (%.0f %% / %.0f %% of a core) |%n",
                    seconds(Duration.ofMillis(run.serviceDuring.cpuMillis())),
                    seconds(Duration.ofMillis(run.storeDuring.cpuMillis())),
                    share(run.serviceDuring.cpuMillis(), wall), share(run.storeDuring.cpuMillis(), wall)));
        }
        r.append('\n');

        if (options.probeRuns() > 0) {
            r.append(String.format(Locale.ROOT, "Store calls of the service at %,d certificates, one at a time on the"
                    + " loaded store before the service started (%s):%n%n", options.hosted(),
                    options.probeRuns() == 1 ? "one run each" : options.probeRuns() + " runs each"));
            r.append("| call | fastest | median |\n|---|---|---|\n");
            l.forEach((k, v) -> {
                if (k.startsWith("probe.") && k.endsWith(".what")) {
                    String key = k.substring(0, k.length() - ".what".length());
                    String time = l.containsKey(key + ".ms") ? String.format(Locale.ROOT, "%,d ms | %,d ms",
                            parseLong(l.get(key + ".fastest-ms")), parseLong(l.get(key + ".ms")))
                            : "failed: " + BenchLogs.storeError(l.getOrDefault(key + ".failed", "?")) + " | -";
                    r.append("| ").append(v).append(" | ").append(time).append(" |\n");
                }
            });
            r.append('\n');
        }

        r.append("| process | CPU, steady state | heap after a full GC | peak RSS |\n|---|---|---|---|\n");
        Steady s = run.steady;
        r.append(processRow("hosting-service", s == null ? -1 : s.serviceCpuMillis(), s, run.serviceHeapKb, run.serviceAtEnd));
        r.append(processRow("Mongo wire server", s == null ? -1 : s.storeCpuMillis(), s, run.storeHeapKb, run.storeAtEnd));
        r.append('\n');
        if (s != null) {
            r.append(String.format(Locale.ROOT, "Steady state: %d s with nothing due once all were raised; %d RenewalDue"
                    + " arrived meanwhile.%n%n", s.wall().toSeconds(), s.newRenewals()));
        } else {
            r.append("Steady state not measured: the due renewals were not all raised.\n\n");
        }
        if (!run.warnings.isEmpty()) {
            r.append("hosting-service warnings (first of each kind):\n\n");
            run.warnings.forEach(w -> r.append("- `").append(w).append("`\n"));
            r.append('\n');
        }
        return r.toString();
    }

    private static boolean storeOnFile(Options options) {
        return !options.memoryStore();
    }

    /** How far the run got, and how long all would take at the scheduler's pace. */
    private static String pace(Options options, Run run) {
        String got = String.format(Locale.ROOT, "%,d of %,d on the topic, %,d started", run.seen.distinctEvents(),
                options.due(), run.started.count());
        Started started = run.started;
        if (started.count() < 2 || !started.last().isAfter(started.first())) {
            return got;
        }
        double perSecond = (started.count() - 1) / (Duration.between(started.first(), started.last()).toMillis() / 1000.0);
        Duration all = Duration.ofSeconds(Math.round(options.due() / perSecond));
        return String.format(Locale.ROOT, "%s, %.2f per second from the first started to the last: all %,d would take"
                + " about %s", got, perSecond, options.due(), hours(all));
    }

    private static String processRow(String name, long cpuMillis, Steady steady, Long heapKb, ProcessUsage atEnd) {
        String cpu = steady == null || cpuMillis < 0 ? "-" : String.format(Locale.ROOT, "%s (%.1f %% of a core)",
                seconds(Duration.ofMillis(cpuMillis)), share(cpuMillis, steady.wall()));
        return String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", name, cpu,
                heapKb == null ? "-" : mib(heapKb * 1024), atEnd == null ? "- (exited)" : mib(atEnd.peakRssKb() * 1024));
    }

    private static Duration millis(Map<String, String> figures, String key) {
        return Duration.ofMillis(parseLong(figures.get(key)));
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static double share(long cpuMillis, Duration wall) {
        return 100.0 * cpuMillis / Math.max(1, wall.toMillis());
    }

    private static String since(Instant from, Instant to) {
        return to == null ? "-" : seconds(Duration.between(from, to));
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String hours(Duration d) {
        return d.toHours() >= 2 ? String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0)
                : String.format(Locale.ROOT, "%d min", d.toMinutes());
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1024.0 / 1024.0);
    }
}
