package io.certflow.devstack.bench;

import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.PebbleBehaviour;
import io.certflow.devstack.Ports;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./certflow bench issue}: starts a stack of its own (free ports, its own home, Pebble without validation
 * delay or nonce rejection), buys N certificates through the platform, then lets {@code lego} and {@code certbot}
 * issue N certificates each against the same Pebble and BIND, and prints one report (also appended to
 * {@code <home>/bench/results.md}) with the machine, the date and the command. Exists so that speed is a
 * measured, repeatable fact rather than a claim.
 */
public final class IssueBench {

    /** What to run. */
    public record Options(int count, int clients, List<PeerClientRun.Client> peers, int peerParallel, Duration timeout,
                          double rate, boolean deploy, boolean fullJit, int warmup) {
        public static Options parse(List<String> args) {
            int count = 20;
            int clients = 8;
            double rate = 0;
            boolean deploy = true;
            boolean fullJit = false;
            int warmup = 1;
            int peerParallel = 1;
            List<PeerClientRun.Client> peers = new ArrayList<>(List.of(PeerClientRun.Client.values()));
            Duration timeout = Duration.ofMinutes(15);
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--count" -> count = positive(a, args, ++i);
                    case "--clients" -> clients = positive(a, args, ++i);
                    case "--peer-parallel" -> peerParallel = positive(a, args, ++i);
                    case "--timeout-minutes" -> timeout = Duration.ofMinutes(positive(a, args, ++i));
                    case "--no-peers" -> peers.clear();
                    case "--no-deploy" -> deploy = false;
                    case "--full-jit" -> fullJit = true;
                    case "--warmup" -> warmup = positive(a, args, ++i);
                    case "--rate" -> {
                        try {
                            rate = Double.parseDouble(value(a, args, ++i));
                        } catch (NumberFormatException e) {
                            throw new DevstackException("bench issue: --rate needs purchases per second, e.g. 5");
                        }
                        if (!(rate > 0)) {
                            throw new DevstackException("bench issue: --rate must be above 0");
                        }
                    }
                    case "--peers" -> {
                        peers.clear();
                        for (String p : value(a, args, ++i).split(",")) {
                            if (!p.isBlank()) {
                                peers.add(PeerClientRun.Client.valueOf(p.trim().toUpperCase(Locale.ROOT)));
                            }
                        }
                    }
                    default -> throw new DevstackException("bench issue: unknown option " + a);
                }
            }
            return new Options(count, clients, List.copyOf(peers), peerParallel, timeout, rate, deploy, fullJit, warmup);
        }

        private static String value(String option, List<String> args, int i) {
            return BenchOptions.value("issue", option, args, i);
        }

        private static int positive(String option, List<String> args, int i) {
            return BenchOptions.positive("issue", option, args, i);
        }
    }

    private final StackConfig base;
    private final PrintStream out;
    private List<String> serviceJvmArgs = List.of();

    /** How long the stack is watched with nothing to do, after the warm-up and before the run. */
    private static final Duration IDLE = Duration.ofSeconds(15);

    public IssueBench(StackConfig base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    /** Runs the benchmark and returns the report (markdown). */
    public String run(Options options, String commandLine) {
        // a fresh stack each run: the ACME account's new-order window (300 per 3 h, as Let's Encrypt) and the data
        // of an earlier run must not shape this one
        Path home = BenchHome.fresh(base, "stack");
        List<String> warmUp = PlatformIssueRun.domains(options.warmup());
        List<String> domains = PlatformIssueRun.domains(options.count()).stream()
                .map(d -> "n" + d).toList(); // not the warm-up's names, whatever the clock
        StackConfig config = base.withHome(home).withPorts(Ports.free()).withDetached(false)
                .withPebble(PebbleBehaviour.fast()).withStartTimeout(Duration.ofSeconds(180));
        if (options.fullJit()) {
            // as a server runs a JVM by default: C2 after C1. ./certflow up stops at C1 (quick to start on a small
            // machine); the figures say which the run used
            config = config.withServiceJvmArgs(config.serviceJvmArgs().stream()
                    .filter(a -> !a.startsWith("-XX:TieredStopAtLevel")).toList());
        }
        BenchNginxSites sites = null;
        if (options.deploy()) {
            // the stack's demo nginx gives way to one nginx serving a site for every name of the run
            java.util.Set<Component> components = java.util.EnumSet.copyOf(config.components());
            components.remove(Component.NGINX);
            List<String> names = new ArrayList<>(warmUp);
            names.addAll(domains);
            sites = new BenchNginxSites(config.withComponents(components), names);
            config = config.withComponents(components).withServiceProperty(Component.DEPLOYMENT_SERVICE,
                    sites.allowedDirectoriesProperty(), sites.directory().toString());
        }
        out.println("bench: starting a stack of its own in " + home + " (free ports, Pebble without validation delay)");
        try (Stack stack = Stack.start(config, false, line -> out.println("  " + line)); BenchNginxSites served = sites) {
            PlatformIssueRun.Sites deployTo = null;
            if (served != null) {
                out.println("bench: starting nginx with a site for each of the " + (domains.size() + 1) + " names");
                served.start();
                List<String> names = new ArrayList<>(warmUp);
                names.addAll(domains);
                deployTo = new PlatformIssueRun.Sites() {
                    @Override
                    public String type() {
                        return served.type();
                    }

                    @Override
                    public Map<String, String> resourceConfig(String domain) {
                        return served.resourceConfig(names.indexOf(domain));
                    }
                };
            }
            out.println("bench: warming up the platform with " + warmUp.size() + " certificate(s)");
            new PlatformIssueRun(config).run(warmUp, Math.min(warmUp.size(), options.clients()), 0, Duration.ofMinutes(5),
                    deployTo);
            out.println("bench: " + IDLE.toSeconds() + " s idle, for what the platform costs with nothing to do");
            Map<Component, ProcessUsage> idleFrom = usage(stack);
            ManagedProcess.sleep(IDLE.toMillis());
            Map<Component, ProcessUsage> before = usage(stack);
            TreeCpu nginxBefore = served == null ? TreeCpu.NONE : TreeCpu.of(served.handle());
            out.printf("bench: %d purchases through the platform, %d upstream clients at once%s%s%n", options.count(),
                    options.clients(), options.rate() > 0 ? String.format(Locale.ROOT, ", %.1f a second", options.rate()) : "",
                    served == null ? "" : ", each deployed to its nginx site");
            PlatformIssueRun.Result platform = new PlatformIssueRun(config).run(domains, options.clients(),
                    options.rate(), options.timeout(), deployTo);
            Map<Component, ProcessUsage> after = usage(stack);
            TreeCpu nginxCpu = served == null ? TreeCpu.NONE : TreeCpu.of(served.handle()).minus(nginxBefore);
            List<PeerClientRun.Result> peers = new ArrayList<>();
            for (PeerClientRun.Client client : options.peers()) {
                if (!client.installed()) {
                    out.println("bench: " + client.binary() + " is not installed; skipped (./certflow bench installs it as root)");
                    continue;
                }
                out.printf("bench: %s issues %d certificates, %d at a time%n", client.binary(), options.count(), options.peerParallel());
                peers.add(new PeerClientRun(config, base.home().resolve("bench").resolve("peers"))
                        .run(client, options.count(), options.peerParallel()));
            }
            serviceJvmArgs = config.serviceJvmArgs();
            String report = report(commandLine, options, platform, idleFrom, before, after, nginxCpu, peers);
            BenchHome.save(base, report, out);
            return report;
        }
    }

    private static Map<Component, ProcessUsage> usage(Stack stack) {
        Map<Component, ProcessUsage> usage = new EnumMap<>(Component.class);
        for (Component c : Component.ALL) {
            Optional<ProcessHandle> h = stack.process(c).handle();
            h.flatMap(p -> ProcessUsage.of(p.pid())).ifPresent(u -> usage.put(c, u));
        }
        return usage;
    }

    private String report(String commandLine, Options options, PlatformIssueRun.Result platform,
                          Map<Component, ProcessUsage> idleFrom, Map<Component, ProcessUsage> before,
                          Map<Component, ProcessUsage> after, TreeCpu nginx, List<PeerClientRun.Result> peers) {
        StringBuilder r = new StringBuilder();
        r.append(BenchHome.heading(commandLine));
        r.append("Machine: ").append(Machine.describe()).append("\n\n");
        r.append("Services' JVM: `").append(String.join(" ", serviceJvmArgs)).append("`; warmed up with ")
                .append(options.warmup()).append(" certificate(s) before the clock started.\n\n");
        r.append("| client | issued | wall clock | certificates/s | latency p50 / p95 / p99 |\n|---|---|---|---|---|\n");
        r.append(row("certflow, purchase → issued (" + options.clients() + " clients)", platform.issued(), platform.requested(),
                platform.wallClock(), platform.perSecond(), platform.purchaseToIssued()));
        r.append("| certflow, verify → issued | | | | ").append(platform.verifyToIssued().summary()).append(" |\n");
        if (options.deploy()) {
            r.append(String.format(Locale.ROOT, "| certflow, purchase → deployed to nginx | %d / %d | | | %s |%n",
                    platform.deployed(), platform.requested(), platform.purchaseToDeployed().summary()));
        }
        for (PeerClientRun.Result p : peers) {
            r.append(row(p.client().binary() + " (" + p.parallel() + " at a time)", p.issued(), p.requested(),
                    p.wallClock(), p.perSecond(), p.latencies()));
        }
        r.append('\n');
        for (PeerClientRun.Result p : peers) {
            if (p.perSecond() > 0) {
                r.append(String.format(Locale.ROOT, "certflow / %s: %.1f× the certificates per second%n%n",
                        p.client().binary(), platform.perSecond() / p.perSecond()));
            }
        }
        double seconds = Math.max(0.001, platform.wallClock().toMillis() / 1000.0);
        int issued = Math.max(1, platform.issued());
        long totalCpu = 0;
        long totalIdle = 0;
        r.append("| service | CPU during the run | share of one core | CPU per certificate | idle before the run, share of"
                + " one core | peak RSS |\n|---|---|---|---|---|---|\n");
        for (Component c : Component.ALL) {
            if (c == Component.NGINX && options.deploy()) {
                continue; // the sites' nginx, with its workers and reloads, below
            }
            ProcessUsage a = after.get(c);
            ProcessUsage b = before.get(c);
            if (a == null || b == null) {
                continue;
            }
            long cpu = a.cpuMillis() - b.cpuMillis();
            ProcessUsage i = idleFrom.get(c);
            long idle = i == null ? 0 : b.cpuMillis() - i.cpuMillis();
            totalCpu += cpu;
            totalIdle += idle;
            r.append(String.format(Locale.ROOT, "| %s | %.1f s | %.0f %% | %.0f ms | %.1f %% | %d MiB |%n", c.id(),
                    cpu / 1000.0, 100.0 * cpu / 1000.0 / seconds, (double) cpu / issued,
                    100.0 * idle / IDLE.toMillis(), a.peakRssKb() / 1024));
        }
        r.append(String.format(Locale.ROOT, "| **all of the above** | %.1f s | %.0f %% | **%.0f ms** | %.1f %% | |%n",
                totalCpu / 1000.0, 100.0 * totalCpu / 1000.0 / seconds, (double) totalCpu / issued,
                100.0 * totalIdle / IDLE.toMillis()));
        r.append(String.format(Locale.ROOT, "%nThe clients' requests: %d orders, %d reads of a delegation (repeated every 100 ms"
                + " until verification-service knows the order), %d Verify clicks (repeated every 200 ms until verified).%n",
                platform.requested(), platform.delegationReads(), platform.verifyClicks()));
        if (options.deploy()) {
            long cpu = nginx.ownMillis() + nginx.childrenMillis();
            ProcessUsage master = after.get(Component.NGINX);
            r.append(String.format(Locale.ROOT, "| nginx (%d sites; workers and reloads included) | %.1f s | %.0f %% | %s |%n",
                    platform.requested() + options.warmup(), cpu / 1000.0, 100.0 * cpu / 1000.0 / seconds,
                    master == null ? "" : master.peakRssKb() / 1024 + " MiB (master)"));
        }
        if (options.rate() > 0) {
            r.append(String.format(Locale.ROOT, "%nPurchases started at %.1f per second (open loop).%n", options.rate()));
        }
        List<String> failures = new ArrayList<>(platform.failures());
        peers.forEach(p -> failures.addAll(p.failures().stream().map(f -> p.client().binary() + " " + f).toList()));
        if (!failures.isEmpty()) {
            r.append("\nFailures:\n");
            failures.stream().limit(20).forEach(f -> r.append("- ").append(f).append('\n'));
        }
        return r.toString();
    }

    private static String row(String who, int issued, int requested, Duration wall, double perSecond, Latencies latencies) {
        return String.format(Locale.ROOT, "| %s | %d / %d | %.1f s | %.2f | %s |%n", who, issued, requested,
                wall.toMillis() / 1000.0, perSecond, latencies.summary());
    }
}
