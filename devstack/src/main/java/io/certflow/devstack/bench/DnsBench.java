package io.certflow.devstack.bench;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.MongoWireProcess;
import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./certflow bench dns}: certflow's delegation zone server beside BIND, answering the same zone on the
 * same machine, both measured over UDP by {@code dnsperf} with the same query file. The servers run side by side
 * but are loaded one at a time: first each after a warm-up with as many queries per second as it answers, then
 * each at one fixed rate (by default half the slowest one's maximum) with every query's latency. certflow's server
 * runs as verification-service runs it — records read from the Mongo wire server on every query — and once more
 * with the records in memory, to tell the server's cost from its database's. Response rate limiting is off in
 * both. The report (also appended to
 * {@code <home>/bench/results.md}) names the machine, its load, the date and the command.
 */
public final class DnsBench {

    /** What to run; {@code rate} 0 picks half the slowest server's maximum. */
    public record Options(int names, int seconds, int warmupSeconds, int clients, int outstanding, int rate,
                          int workers, boolean memoryStore) {
        public static Options parse(List<String> args) {
            int names = 1000;
            int seconds = 20;
            int warmup = 5;
            int clients = 4;
            int outstanding = 100;
            int rate = 0;
            int workers = 4;
            boolean memory = true;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--names" -> names = BenchOptions.positive("dns", a, args, ++i);
                    case "--seconds" -> seconds = BenchOptions.positive("dns", a, args, ++i);
                    case "--warmup-seconds" -> warmup = BenchOptions.positive("dns", a, args, ++i);
                    case "--clients" -> clients = BenchOptions.positive("dns", a, args, ++i);
                    case "--outstanding" -> outstanding = BenchOptions.positive("dns", a, args, ++i);
                    case "--rate" -> rate = BenchOptions.positive("dns", a, args, ++i);
                    case "--workers" -> workers = BenchOptions.positive("dns", a, args, ++i);
                    case "--no-memory" -> memory = false;
                    default -> throw new DevstackException("bench dns: unknown option " + a);
                }
            }
            return new Options(names, seconds, warmup, clients, outstanding, rate, workers, memory);
        }
    }

    /** Share of queries for names that do not exist (answered NXDOMAIN), on top of one per name. */
    static final double NXDOMAIN_SHARE = 0.1;
    private static final long SEED = 20261127L;

    private final StackConfig base;
    private final PrintStream out;

    public DnsBench(StackConfig base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    /** One DNS server under test, with the process it reads its records from (null for none). */
    private record Server(String name, int port, ManagedProcess process, ManagedProcess store) {
        void start() {
            if (store != null) {
                store.start();
            }
            process.start();
        }

        void stop() {
            process.stop();
            if (store != null) {
                store.stop();
            }
        }
    }

    /** What dnsperf saw in one phase, and the CPU the server used. */
    record Phase(Dnsperf.Result result, Cpu cpu) {
    }

    /** The measurements of one server. */
    private record Target(String name, Phase max, Phase fixed, int rate) {
    }

    /** CPU of the server's processes during one phase: the DNS server and, for certflow, its store. */
    record Cpu(long serverMillis, long storeMillis, Duration wall) {
        String share(long millis) {
            return millis < 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * millis / Math.max(1, wall.toMillis()));
        }
    }

    /** Runs the benchmark and returns the report (markdown). */
    public String run(Options options, String commandLine) {
        if (!Dnsperf.installed()) {
            throw new DevstackException("dnsperf is not installed: apt-get install -y dnsperf"
                    + " (./certflow bench does it when run as root)");
        }
        Path home = BenchHome.fresh(base, "dns");
        StackConfig config = base.withHome(home).withPorts(Ports.free()).withDetached(false)
                .withStartTimeout(Duration.ofSeconds(120));
        String loadBefore = loadAverage();
        BenchZone zone = new BenchZone(options.names(), NXDOMAIN_SHARE, SEED);
        Path data = config.dataDir();
        Path records = data.resolve("records.txt");
        Path zoneFile = data.resolve("db.acme.certflow.test");
        Path queries = data.resolve("queries.txt");
        try {
            Files.createDirectories(data);
            zone.writeRecords(records);
            zone.writeZoneFile(zoneFile);
            zone.writeQueries(queries);
        } catch (IOException e) {
            throw new DevstackException("cannot write the benchmark zone in " + data + ": " + e.getMessage(), e);
        }
        out.printf("bench: %d names, %d TXT values, %d queries per pass (%.0f %% NXDOMAIN); load average %s%n",
                zone.records().size(), zone.values(), zone.queryNames().size(), NXDOMAIN_SHARE * 100, loadBefore);

        Map.Entry<String, List<String>> probe = zone.records().entrySet().iterator().next();
        MongoWireProcess mongo = new MongoWireProcess(config);
        String mongoUri = "mongodb://127.0.0.1:" + mongo.port() + "/certflow-verification-bench";
        List<Server> servers = new ArrayList<>();
        servers.add(new Server("BIND " + bindVersion(), config.ports().bind(), new BenchNamed(config, zoneFile), null));
        servers.add(new Server("certflow, records in the Mongo wire server", config.ports().certflowDns(),
                new BenchZoneServer(config, BenchZoneServer.Store.MONGO, records, mongoUri, options.workers(),
                        config.ports().certflowDns(), probe), mongo));
        if (options.memoryStore()) {
            int port = Ports.free().certflowDns();
            servers.add(new Server("certflow, records in memory (diagnostic)", port,
                    new BenchZoneServer(config, BenchZoneServer.Store.MEMORY, records, null, options.workers(), port, probe),
                    null));
        }
        List<Target> targets = new ArrayList<>();
        try {
            for (Server s : servers) {
                out.println("bench: starting " + s.name());
                s.start();
            }
            List<Phase> max = new ArrayList<>();
            for (Server s : servers) {
                out.println("bench: " + s.name() + ", as many queries as it answers");
                run(s, queries, new Dnsperf.Load(options.warmupSeconds(), options.clients(), options.outstanding(), 0),
                        config, "warmup");
                Phase phase = run(s, queries, new Dnsperf.Load(options.seconds(), options.clients(), options.outstanding(), 0),
                        config, "max");
                out.printf(Locale.ROOT, "  %.0f queries/s, %d lost%n", phase.result().queriesPerSecond(), phase.result().lost());
                max.add(phase);
            }
            int rate = options.rate() > 0 ? options.rate() : autoRate(max);
            for (int i = 0; i < servers.size(); i++) {
                Server s = servers.get(i);
                out.println("bench: " + s.name() + ", " + rate + " queries/s");
                Phase phase = run(s, queries, new Dnsperf.Load(options.seconds(), options.clients(), options.outstanding(), rate),
                        config, "rate");
                out.printf("  p50 %s, p99 %s%n", millis(phase.result().latencies().percentile(50)),
                        millis(phase.result().latencies().percentile(99)));
                targets.add(new Target(s.name(), max.get(i), phase, rate));
            }
        } finally {
            for (Server s : servers) {
                s.stop();
            }
        }
        String report = report(commandLine, options, zone, targets, loadBefore, loadAverage());
        BenchHome.save(base, report, out);
        return report;
    }

    /** Half the slowest server's maximum, rounded down to ten: a rate every server answers without queueing. */
    static int autoRate(List<Phase> max) {
        double slowest = max.stream().mapToDouble(p -> p.result().queriesPerSecond()).min().orElse(20);
        return Math.max(10, (int) (slowest / 2 / 10) * 10);
    }

    /** One dnsperf run against a server, with the CPU its processes used meanwhile. */
    private Phase run(Server server, Path queries, Dnsperf.Load load, StackConfig config, String phase) {
        Path outputs = config.home().resolve("dnsperf");
        try {
            Files.createDirectories(outputs);
        } catch (IOException e) {
            throw new DevstackException("bench dns: cannot create " + outputs + ": " + e.getMessage(), e);
        }
        String file = server.process().logFile().getFileName().toString().replace(".log", "") + "-" + phase + ".txt";
        long serverBefore = cpuMillis(server.process());
        long storeBefore = server.store() == null ? 0 : cpuMillis(server.store());
        long start = System.nanoTime();
        Dnsperf.Result result = Dnsperf.run(server.port(), queries, load, outputs.resolve(file));
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        return new Phase(result, new Cpu(cpuMillis(server.process()) - serverBefore,
                server.store() == null ? -1 : cpuMillis(server.store()) - storeBefore, wall));
    }

    private static long cpuMillis(ManagedProcess process) {
        return process.handle().flatMap(h -> ProcessUsage.of(h.pid())).map(ProcessUsage::cpuMillis).orElse(0L);
    }

    private String report(String commandLine, Options options, BenchZone zone, List<Target> targets,
                          String loadBefore, String loadAfter) {
        StringBuilder r = new StringBuilder(BenchHome.heading(commandLine));
        r.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) before ")
                .append(loadBefore).append(", after ").append(loadAfter).append(".\n\n");
        r.append(String.format(Locale.ROOT, "Zone: %d names holding %d TXT values (every 5th name two, every 25th three);"
                        + " %d queries per pass of the query file (%.0f %% for names that do not exist), TXT over UDP,"
                        + " the same file for every server. dnsperf: %d clients, at most %d queries in flight, %d s per"
                        + " phase after %d s of warm-up. certflow: %d worker threads. Response rate limiting off in"
                        + " both.%n%n", zone.records().size(), zone.values(), zone.queryNames().size(),
                NXDOMAIN_SHARE * 100, options.clients(), options.outstanding(), options.seconds(),
                options.warmupSeconds(), options.workers()));
        r.append("| server | load | queries/s | answered / sent | lost | latency avg | p50 | p99 | CPU server | CPU store |\n");
        r.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Target t : targets) {
            r.append(row(t.name(), "as fast as it answers", t.max()));
        }
        for (Target t : targets) {
            r.append(row(t.name(), t.rate() + " queries/s", t.fixed()));
        }
        r.append('\n');
        Target bind = targets.get(0);
        for (Target t : targets.subList(1, targets.size())) {
            double bindQps = bind.max().result().queriesPerSecond();
            if (bindQps > 0) {
                r.append(String.format(Locale.ROOT, "%s: %.3g× BIND's queries per second.%n%n", t.name(),
                        t.max().result().queriesPerSecond() / bindQps));
            }
        }
        return r.toString();
    }

    private static String row(String name, String load, Phase phase) {
        Dnsperf.Result d = phase.result();
        Cpu cpu = phase.cpu();
        return String.format(Locale.ROOT, "| %s | %s | %.0f | %d / %d | %d | %s | %s | %s | %s | %s |%n", name, load,
                d.queriesPerSecond(), d.completed(), d.sent(), d.lost(), millis(d.averageLatency()),
                millis(d.latencies().percentile(50)), millis(d.latencies().percentile(99)),
                cpu.share(cpu.serverMillis()), cpu.share(cpu.storeMillis()));
    }

    static String millis(Duration d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
    }

    /** {@code /proc/loadavg}'s first three fields, or {@code unknown}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** {@code named -v}'s version, e.g. {@code 9.18.49-1~deb12u3-Debian}. */
    private static String bindVersion() {
        try {
            Process p = new ProcessBuilder(Binaries.require(Binaries.NAMED)
                    .toString(), "-v").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return Optional.of(text.split("\\s+")).filter(f -> f.length > 1).map(f -> f[1]).orElse(text);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
