package io.certflow.devstack.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.Component;
import io.certflow.devstack.KafkaProcess;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.MongoWireProcess;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.Ports;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.StackConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * {@code ./certflow bench events}: the events per second each service applies, and how fast it drains a backlog.
 * For each service, one at a time, on infrastructure of its own (Kafka and the Mongo wire server as
 * {@code ./certflow up} runs them, free ports, {@code <home>/bench/events/<service>}): the service's jar alone,
 * fed the event its main listener consumes ({@link EventsTarget}), published by one producer as fast as it goes.
 *
 * <ol>
 *   <li>Sustained: the service runs; a warm-up, then {@code --count} events; applied events per second are the
 *   slope of the group's committed offsets (admin API, every 500 ms) between 10 % and 90 % of them, beside the lag
 *   when the producer finished and the CPU of the service, the store and Kafka.</li>
 *   <li>Backlog: the service stopped, {@code --backlog} events published, the service started: time to ready, to
 *   its first commit and until its lag is 0, and the drain's records per second.</li>
 *   <li>Checks: the documents the service created (counted on its database) equal the events published, and no
 *   record reached a dead-letter topic; a failed check fails the run (the report says so first).</li>
 * </ol>
 */
public final class EventsBench {

    /** How often the group's offsets are read. */
    private static final long SAMPLE_MILLIS = 500;

    /**
     * What to run.
     *
     * @param services the services, one after the other
     * @param count    events of the sustained phase
     * @param warmup   events applied before it
     * @param backlog  events published while the service is down
     * @param timeout  how long a phase may take to drain
     * @param jfr      record each service JVM with Java Flight Recorder ({@code profile} settings)
     */
    /** The Mongo wire server's heap for a run: room for the warm-up, the sustained run and a 100,000 backlog. */
    static final String STORE_HEAP = "3g";

    public record Options(List<EventsTarget> services, int count, int warmup, int backlog, Duration timeout, boolean jfr) {

        public static Options parse(List<String> args) {
            String services = "";
            int count = 20_000;
            Integer warmup = null;
            int backlog = 100_000;
            int timeoutMinutes = 20;
            boolean jfr = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--services", "--service" -> services = BenchOptions.value("events", a, args, ++i);
                    case "--count" -> count = BenchOptions.positive("events", a, args, ++i);
                    case "--warmup" -> warmup = BenchOptions.positive("events", a, args, ++i);
                    case "--no-warmup" -> warmup = 0;
                    case "--backlog" -> backlog = BenchOptions.positive("events", a, args, ++i);
                    case "--timeout-minutes" -> timeoutMinutes = BenchOptions.positive("events", a, args, ++i);
                    case "--jfr" -> jfr = true;
                    default -> throw new DevstackException("bench events: unknown option " + a);
                }
            }
            return new Options(EventsTarget.parse(services), count, warmup != null ? warmup : Math.min(2_000, count),
                    backlog, Duration.ofMinutes(timeoutMinutes), jfr);
        }
    }

    private final StackConfig base;
    private final PrintStream out;

    public EventsBench(StackConfig base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    /** CPU (ms) of the processes over a window, and the wall time. */
    record Cpu(long serviceMs, long storeMs, long kafkaMs, long benchMs, long wallMs) {
        static Cpu between(Readings a, Readings b) {
            return new Cpu(b.service - a.service, b.store - a.store, b.kafka - a.kafka, b.bench - a.bench, b.wallMs - a.wallMs);
        }

        String share(long ms) {
            return String.format(Locale.ROOT, "%.1f s (%.0f %%)", ms / 1000.0, 100.0 * ms / Math.max(1, wallMs));
        }
    }

    /** A reading of each process's CPU so far. */
    record Readings(long service, long store, long kafka, long bench, long wallMs) {
    }

    /** The sustained phase. */
    record Sustained(EventsKafka.Published published, LagSamples samples, long base, OptionalDouble steadyRate,
                     long drainedMs, long lagWhenPublished, long maxLag, Cpu cpu) {
    }

    /** The backlog phase; times in ms from the service's start. */
    record Backlog(EventsKafka.Published published, long readyMs, OptionalLong firstCommitMs, long drainedMs,
                   long maxLag, Cpu cpu) {
        double fromStart(int records) {
            return LagSamples.perSecond(records, drainedMs);
        }

        OptionalDouble fromFirstCommit(int records) {
            return firstCommitMs.isPresent() ? OptionalDouble.of(LagSamples.perSecond(records, drainedMs - firstCommitMs.getAsLong()))
                    : OptionalDouble.empty();
        }
    }

    /** One service's run; null fields where it did not get that far. */
    static final class Run {
        final EventsTarget target;
        Sustained sustained;
        Backlog backlog;
        long published;
        long documents = -1;
        Map<String, Long> deadLetters = Map.of();
        Map<String, Long> raised = Map.of();
        long peakRssKb;
        /** The service's heap after a full GC once its backlog drained (all documents of the run stored), or -1. */
        long heapAfterGcKb = -1;
        long storePeakRssKb;
        long kafkaPeakRssKb;
        Duration wall;
        String failure;
        List<String> jfr = new ArrayList<>();

        Run(EventsTarget target) {
            this.target = target;
        }

        List<String> problems() {
            List<String> p = new ArrayList<>();
            if (failure != null) {
                p.add(target.label() + ": " + failure.lines().findFirst().orElse(failure));
            }
            if (!deadLetters.isEmpty()) {
                p.add(target.label() + ": " + deadLetters.values().stream().mapToLong(Long::longValue).sum()
                        + " dead letters (" + deadLetters + ")");
            }
            if (failure == null && documents != published) {
                p.add(target.label() + ": " + documents + " documents in " + target.collection() + " for " + published
                        + " events published (" + (documents < published ? "lost " + (published - documents)
                        : (documents - published) + " more") + ")");
            }
            return p;
        }
    }

    /** Runs the benchmark and returns the report (markdown); throws after saving it if a check failed. */
    public String run(Options options, String commandLine) {
        Path home = BenchHome.fresh(base, "events");
        String loadBefore = DnsBench.loadAverage();
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        IssuedChain chain = IssuedChain.create();
        out.printf(Locale.ROOT, "bench: %s; %,d events sustained (after %,d warm-up), a backlog of %,d; load average %s%n",
                options.services().stream().map(EventsTarget::label).collect(Collectors.joining(", ")),
                options.count(), options.warmup(), options.backlog(), loadBefore);
        List<Run> runs = new ArrayList<>();
        for (EventsTarget target : options.services()) {
            Run run = new Run(target);
            runs.add(run);
            Instant start = Instant.now();
            try {
                runOne(options, home.resolve(target.service().id()), runId, chain, run);
            } catch (DevstackException e) {
                run.failure = e.getMessage();
                out.println("bench: " + target.service().id() + ": " + e.getMessage());
            }
            run.wall = Duration.between(start, Instant.now());
        }
        String report = report(commandLine, options, runs, loadBefore, DnsBench.loadAverage());
        BenchHome.save(base, report, out);
        List<String> problems = runs.stream().flatMap(r -> r.problems().stream()).toList();
        if (!problems.isEmpty()) {
            out.println();
            out.println(report);
            throw new DevstackException("bench events FAILED: " + String.join("; ", problems));
        }
        return report;
    }

    private void runOne(Options options, Path home, String runId, IssuedChain chain, Run run) {
        EventsTarget t = run.target;
        StackConfig config = base.withHome(home).withPorts(Ports.free()).withDetached(false)
                .withStartTimeout(Duration.ofMinutes(5));
        out.printf("bench: %s ← %s on %s (Kafka and the Mongo wire server of its own in %s)%n", t.service().id(),
                t.eventName(), t.topic(), home);
        // the default 256 MiB of the dev store ran out at about 90,000 hosted certificates (chains included) while
        // the backlog drained (2026-11-28): the store, not the service, would be measured
        MongoWireProcess mongo = MongoWireProcess.withHeap(config, STORE_HEAP);
        KafkaProcess kafka = new KafkaProcess(config);
        // issuance-service reads its CA profile's trust (Pebble's listener CA) at start; nothing asks Pebble anything
        PebbleProcess pebble = t.service() == Component.ISSUANCE_SERVICE ? new PebbleProcess(config) : null;
        ServiceProcess service = null;
        EventsKafka topics = null;
        try {
            mongo.start();
            kafka.start();
            if (pebble != null) {
                pebble.start();
            }
            topics = new EventsKafka(config.kafkaBootstrapServers(), "/devstack-bench-events");
            topics.createTopics();
            LongFunctionEvents events = i -> t.event(runId, i, config.accountId(), chain, Instant.now());

            // 1. sustained: the service runs while the producer publishes
            service = service(config, options, t, "sustained", run);
            service.start();
            if (options.warmup() > 0) {
                out.printf(Locale.ROOT, "  warm-up: %,d events%n", options.warmup());
                topics.publish(t.topic(), 0, options.warmup(), events::event);
                await(topics, t, options.warmup(), options.timeout(), service, new LagSamples(), System.nanoTime());
            }
            run.published = options.warmup();
            run.sustained = sustained(options, t, topics, service, mongo, kafka, events);
            run.published += options.count();

            // 2. backlog: published while the service is down, then drained
            service.stop();
            run.backlog = backlog(options, t, topics, config, run, mongo, kafka, events);
            run.published += options.backlog();
            service = null; // stopped by backlog()

            // 3. checks
            run.documents = documents(mongo, config, t);
            run.deadLetters = topics.deadLetters();
            run.storePeakRssKb = usage(mongo).map(ProcessUsage::peakRssKb).orElse(0L);
            run.kafkaPeakRssKb = usage(kafka).map(ProcessUsage::peakRssKb).orElse(0L);
            out.printf(Locale.ROOT, "  %,d documents in %s for %,d events published; dead letters: %s%n", run.documents,
                    t.collection(), run.published, run.deadLetters.isEmpty() ? "none" : run.deadLetters);
        } finally {
            if (service != null) {
                service.stop();
            }
            if (topics != null) {
                topics.close();
            }
            kafka.stop();
            mongo.stop();
            if (pebble != null) {
                pebble.stop();
            }
        }
    }

    /** An event of the run by its index. */
    @FunctionalInterface
    private interface LongFunctionEvents {
        io.certflow.events.CertflowEvent event(long i);
    }

    private ServiceProcess service(StackConfig config, Options options, EventsTarget t, String phase, Run run) {
        if (!options.jfr()) {
            return new ServiceProcess(config, t.service());
        }
        Path jfr = config.home().resolve(t.service().id() + "-" + phase + ".jfr");
        run.jfr.add(jfr.toString());
        List<String> jvm = new ArrayList<>(config.serviceJvmArgs());
        jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr);
        return new ServiceProcess(config.withServiceJvmArgs(jvm), t.service());
    }

    private Sustained sustained(Options options, EventsTarget t, EventsKafka topics, ServiceProcess service,
                                MongoWireProcess mongo, KafkaProcess kafka, LongFunctionEvents events) {
        long base = topics.committed(t.group(), t.topic());
        LagSamples samples = new LagSamples();
        long start = System.nanoTime();
        Readings before = readings(service, mongo, kafka, start);
        out.printf(Locale.ROOT, "  sustained: %,d events as fast as the producer goes%n", options.count());
        try (Sampler sampler = new Sampler(topics, t, samples, start)) {
            EventsKafka.Published published = topics.publish(t.topic(), base, options.count(), events::event);
            long publishedMs = millisSince(start);
            long drained = await(topics, t, base + options.count(), options.timeout(), service, samples, start);
            Readings after = readings(service, mongo, kafka, start);
            sampler.sampleNow();
            peakRss = usage(service).map(ProcessUsage::peakRssKb).orElse(0L);
            OptionalDouble steady = samples.steadyRate(base, options.count());
            Sustained s = new Sustained(published, samples, base, steady, drained,
                    samples.lagAt(publishedMs).orElse(-1), samples.maxLag(), Cpu.between(before, after));
            out.printf(Locale.ROOT, "  published at %,.0f/s; applied %s/s steady, all in %.1f s; lag when published %,d%n",
                    published.perSecond(), steady.isPresent() ? String.format(Locale.ROOT, "%,.0f", steady.getAsDouble()) : "-",
                    drained / 1000.0, s.lagWhenPublished());
            return s;
        }
    }

    private Backlog backlog(Options options, EventsTarget t, EventsKafka topics, StackConfig config, Run run,
                            MongoWireProcess mongo, KafkaProcess kafka, LongFunctionEvents events) {
        long base = topics.committed(t.group(), t.topic());
        long end = topics.end(t.topic());
        if (base != end) {
            throw new DevstackException("the group " + t.group() + " stopped at " + base + " of " + end + " records");
        }
        out.printf(Locale.ROOT, "  backlog: %,d events published while %s is down%n", options.backlog(), t.service().id());
        EventsKafka.Published published = topics.publish(t.topic(), end, options.backlog(), events::event);
        out.printf(Locale.ROOT, "  published in %.1f s (%,.0f/s); starting %s%n", published.millis() / 1000.0,
                published.perSecond(), t.service().id());
        ServiceProcess service = service(config, options, t, "backlog", run);
        LagSamples samples = new LagSamples();
        long start = System.nanoTime();
        Readings before = readings(service, mongo, kafka, start);
        try (Sampler sampler = new Sampler(topics, t, samples, start)) {
            service.startAsync();
            service.awaitReady(config.startTimeout());
            long ready = millisSince(start);
            long drained = await(topics, t, base + options.backlog(), options.timeout(), service, samples, start);
            Readings after = readings(service, mongo, kafka, start);
            run.peakRssKb = Math.max(peakRss, usage(service).map(ProcessUsage::peakRssKb).orElse(0L));
            run.raised = topics.raised(t.topic()); // what its outbox relay had published when its lag reached 0
            run.heapAfterGcKb = service.handle().flatMap(h -> LiveHeap.afterFullGc(h.pid())).orElse(-1L);
            Backlog b = new Backlog(published, ready, samples.firstAdvance(base), drained, samples.maxLag(),
                    Cpu.between(before, after));
            out.printf(Locale.ROOT, "  ready after %.1f s, lag 0 after %.1f s: %,.0f/s from the start; heap after a full GC %s%n",
                    ready / 1000.0, drained / 1000.0, b.fromStart(options.backlog()), mib(run.heapAfterGcKb));
            return b;
        } finally {
            service.stop();
        }
    }

    /** Waits until the group committed {@code target}; the time (ms from {@code start}) it was seen there. */
    private long await(EventsKafka topics, EventsTarget t, long target, Duration timeout, ServiceProcess service,
                       LagSamples samples, long start) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextProgress = System.nanoTime() + 30_000_000_000L;
        while (true) {
            long committed = topics.committed(t.group(), t.topic());
            if (committed >= target) {
                return millisSince(start);
            }
            if (!service.isRunning()) {
                throw new DevstackException(t.service().id() + " exited at " + committed + " of " + target
                        + " records" + BenchLogs.firstError(service.logFile()));
            }
            if (System.nanoTime() > deadline) {
                throw new DevstackException(t.service().id() + " had committed " + committed + " of " + target
                        + " records after " + timeout.toMinutes() + " min");
            }
            if (System.nanoTime() > nextProgress) {
                LagSamples.Sample last = samples.last();
                out.printf(Locale.ROOT, "  %,d of %,d after %.0f s%s%n", committed, target, millisSince(start) / 1000.0,
                        last == null ? "" : String.format(Locale.ROOT, " (lag %,d)", last.lag()));
                nextProgress += 30_000_000_000L;
            }
            ManagedProcess.sleep(100);
        }
    }

    /** Peak RSS of the service's JVM of the sustained phase. */
    private long peakRss;

    /** Reads the group's offsets every {@link #SAMPLE_MILLIS} on a thread of its own. */
    private static final class Sampler implements AutoCloseable {
        private final EventsKafka topics;
        private final EventsTarget target;
        private final LagSamples samples;
        private final long start;
        private final Thread thread;
        private volatile boolean stop;

        Sampler(EventsKafka topics, EventsTarget target, LagSamples samples, long start) {
            this.topics = topics;
            this.target = target;
            this.samples = samples;
            this.start = start;
            thread = new Thread(this::loop, "bench-events-offsets");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (!stop) {
                try {
                    sampleNow();
                } catch (DevstackException e) {
                    // the next sample tells
                }
                ManagedProcess.sleep(SAMPLE_MILLIS);
            }
        }

        synchronized void sampleNow() {
            long at = millisSince(start);
            long end = topics.end(target.topic());
            long committed = topics.committed(target.group(), target.topic());
            samples.add(new LagSamples.Sample(at, committed, end));
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long documents(MongoWireProcess mongo, StackConfig config, EventsTarget t) {
        String uri = config.mongoUri(t.service());
        String database = uri.substring(uri.lastIndexOf('/') + 1);
        RuntimeException last = null;
        // the H2 file store can fail a long read while it rewrites chunks ("Chunk … not found"): a stand-in's
        // fault, not the service's, so the count is asked again (at most three times) before the run fails
        for (int attempt = 1; attempt <= 3; attempt++) {
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                return client.getDatabase(database).getCollection(t.collection()).countDocuments();
            } catch (RuntimeException e) {
                last = e;
                System.err.println("bench: counting " + database + "." + t.collection() + " failed (" + e.getMessage()
                        + "); " + (attempt < 3 ? "asking again" : "giving up"));
                io.certflow.devstack.ManagedProcess.sleep(2_000);
            }
        }
        throw new DevstackException("cannot count " + database + "." + t.collection() + ": " + last.getMessage(), last);
    }

    private static Readings readings(ServiceProcess service, MongoWireProcess mongo, KafkaProcess kafka, long start) {
        LongSupplier self = () -> ProcessUsage.of(ProcessHandle.current().pid()).map(ProcessUsage::cpuMillis).orElse(0L);
        return new Readings(cpu(service), cpu(mongo), cpu(kafka), self.getAsLong(), millisSince(start));
    }

    private static long cpu(ManagedProcess process) {
        return usage(process).map(ProcessUsage::cpuMillis).orElse(0L);
    }

    private static Optional<ProcessUsage> usage(ManagedProcess process) {
        return process.handle().flatMap(h -> ProcessUsage.of(h.pid()));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private String report(String commandLine, Options options, List<Run> runs, String loadBefore, String loadAfter) {
        StringBuilder r = new StringBuilder(BenchHome.heading(commandLine));
        List<String> problems = runs.stream().flatMap(x -> x.problems().stream()).toList();
        if (!problems.isEmpty()) {
            r.append("**FAILED:** ").append(String.join("; ", problems)).append("\n\n");
        }
        r.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) before ")
                .append(loadBefore).append(", after ").append(loadAfter).append(".\n\n");
        r.append(String.format(Locale.ROOT, "Each service alone from its jar (%s) on Kafka and the Mongo wire server"
                        + " (H2 file, -Xmx%s) of its own, topics of %d partitions; one producer (acks=all, linger 5 ms)"
                        + " in the bench's JVM, on the same cores. Every event names a new certificate (order-service:"
                        + " a new upstream order), so each creates one document. Sustained: %,d events after %,d of"
                        + " warm-up, applied per second = slope of the group's committed offsets between 10 %% and 90 %%"
                        + " of them. Backlog: %,d events published while the service was down, then the service started.%n%n",
                String.join(" ", base.serviceJvmArgs()), STORE_HEAP, EventsKafka.PARTITIONS,
                options.count(), options.warmup(), options.backlog()));

        r.append("| service ← event | published/s | **applied/s, steady** | all applied after | lag when the producer"
                + " finished / max | CPU service | CPU Mongo wire server | CPU Kafka | CPU bench (producer) |\n");
        r.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Run x : runs) {
            Sustained s = x.sustained;
            if (s == null) {
                r.append("| ").append(name(x)).append(" | - | - | - | - | - | - | - | - |\n");
                continue;
            }
            r.append(String.format(Locale.ROOT, "| %s | %,.0f | **%s** | %.1f s (%,.0f/s) | %,d / %,d | %s | %s | %s | %s |%n",
                    name(x), s.published().perSecond(), rate(s.steadyRate()), s.drainedMs() / 1000.0,
                    LagSamples.perSecond(options.count(), s.drainedMs()), s.lagWhenPublished(), s.maxLag(),
                    s.cpu().share(s.cpu().serviceMs()), s.cpu().share(s.cpu().storeMs()),
                    s.cpu().share(s.cpu().kafkaMs()), s.cpu().share(s.cpu().benchMs())));
        }
        r.append("\n(CPU: seconds over the phase, from the first event published until all were applied; in brackets"
                + " the share of one core.)\n\n");

        r.append(String.format(Locale.ROOT, "| service: backlog of %,d | published in | start → ready | start → first"
                + " commit | **start → lag 0** | **drain/s from the first commit** | from the start | CPU service |"
                + " CPU Mongo wire server | CPU Kafka |%n|---|---|---|---|---|---|---|---|---|---|%n", options.backlog()));
        for (Run x : runs) {
            Backlog b = x.backlog;
            if (b == null) {
                r.append("| ").append(name(x)).append(" | - | - | - | - | - | - | - | - | - |\n");
                continue;
            }
            r.append(String.format(Locale.ROOT, "| %s | %.1f s (%,.0f/s) | %.1f s | %s | **%.1f s** | **%s** | %,.0f/s | %s | %s | %s |%n",
                    name(x), b.published().millis() / 1000.0, b.published().perSecond(), b.readyMs() / 1000.0,
                    b.firstCommitMs().isPresent() ? String.format(Locale.ROOT, "%.1f s", b.firstCommitMs().getAsLong() / 1000.0) : "-",
                    b.drainedMs() / 1000.0, rate(b.fromFirstCommit(options.backlog())), b.fromStart(options.backlog()),
                    b.cpu().share(b.cpu().serviceMs()), b.cpu().share(b.cpu().storeMs()), b.cpu().share(b.cpu().kafkaMs())));
        }
        r.append('\n');

        r.append("| service | events published | documents created | dead letters | events it raised (by lag 0) | service heap"
                + " after a full GC, all applied | peak RSS service / Mongo / Kafka | wall time | check |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Run x : runs) {
            String raised = x.raised.isEmpty() ? "none" : x.raised.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey().replace("certflow.", ""), e.getValue()))
                    .collect(Collectors.joining(", "));
            long dead = x.deadLetters.values().stream().mapToLong(Long::longValue).sum();
            r.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s / %s / %s | %.0f s | %s |%n",
                    x.target.service().id(), x.published,
                    x.documents < 0 ? "-" : String.format(Locale.ROOT, "%,d (`%s`)", x.documents, x.target.collection()),
                    dead == 0 ? "0" : "**" + dead + "**", raised, mib(x.heapAfterGcKb), mib(x.peakRssKb), mib(x.storePeakRssKb), mib(x.kafkaPeakRssKb),
                    x.wall == null ? 0.0 : x.wall.toMillis() / 1000.0, x.problems().isEmpty() ? "OK" : "**FAILED**"));
        }
        r.append('\n');
        runs.stream().filter(x -> x.failure != null).forEach(x -> r.append("- ").append(x.target.service().id())
                .append(": ").append(x.failure.lines().limit(4).collect(Collectors.joining(" / "))).append('\n'));
        runs.stream().flatMap(x -> x.jfr.stream()).forEach(f -> r.append("- JFR: `").append(f).append("`\n"));
        return r.toString();
    }

    private static String name(Run x) {
        return x.target.service().id() + " ← " + x.target.eventName();
    }

    private static String rate(OptionalDouble rate) {
        return rate.isPresent() ? String.format(Locale.ROOT, "%,.0f", rate.getAsDouble()) : "-";
    }

    private static String mib(long kb) {
        return kb <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f MiB", kb / 1024.0);
    }
}
