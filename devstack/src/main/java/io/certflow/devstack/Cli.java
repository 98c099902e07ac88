package io.certflow.devstack;

import io.certflow.devstack.bench.DeployBench;
import io.certflow.devstack.bench.DnsBench;
import io.certflow.devstack.bench.EventsBench;
import io.certflow.devstack.bench.IssueBench;
import io.certflow.devstack.bench.RenewalBench;
import io.certflow.devstack.bench.SoakBench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Java side of {@code ./certflow}: {@code up}, {@code down}, {@code status}, {@code demo}, {@code paths}.
 * Configuration comes from the environment ({@code CERTFLOW_HOME}, port variables: see {@link Ports#fromEnvironment}).
 */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        StackConfig config = StackConfig.fromEnvironment(StackConfig.locateRepoRoot(), System.getenv());
        try {
            switch (args[0]) {
                case "up" -> up(config, List.of(args).subList(1, args.length));
                case "down" -> down(config);
                case "status" -> System.exit(status(config) ? 0 : 3);
                case "demo" -> demo(config);
                case "paths" -> paths(config);
                case "bench" -> bench(config, List.of(args).subList(1, args.length));
                default -> {
                    usage();
                    System.exit(2);
                }
            }
        } catch (DevstackException e) {
            System.err.println("certflow: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void up(StackConfig config, List<String> options) {
        Set<Component> components = EnumSet.copyOf(Component.WITH_CONSOLE);
        if (options.contains("--infra-only")) {
            components = EnumSet.copyOf(Component.INFRASTRUCTURE);
        }
        System.out.println("starting the certflow stack in " + config.home());
        Stack.start(config.withComponents(components).withDetached(true), true, line -> System.out.println("  " + line));
        System.out.println("stack is up; logs in " + config.logsDir());
    }

    private static void down(StackConfig config) {
        List<Component> stopped = Stack.stopAll(config);
        System.out.println(stopped.isEmpty() ? "nothing was running in " + config.home()
                : "stopped " + String.join(", ", stopped.stream().map(Component::id).toList()));
    }

    private static boolean status(StackConfig config) {
        boolean allUp = true;
        System.out.printf("%-22s %-9s %-8s %-6s %s%n", "COMPONENT", "STATE", "PID", "PORT", "LOG");
        for (Stack.ComponentStatus s : Stack.status(config)) {
            String state = !s.running() ? "stopped" : s.healthy() ? "running" : s.listening() ? "starting" : "no-port";
            allUp &= s.healthy();
            System.out.printf("%-22s %-9s %-8s %-6d %s%n", s.component().id(), state,
                    s.pid().map(String::valueOf).orElse("-"), s.port(), s.logFile());
        }
        return allUp;
    }

    private static void demo(StackConfig config) {
        System.out.println("certflow demo against " + config.serviceUrl(Component.ORDER_SERVICE) + " ...");
        DemoFlow.Result r = new DemoFlow(config, System.out).run();
        System.out.println("demo done: order " + r.orderId() + ", certificate " + r.certificateId() + ", nginx served "
                + r.servedSerialBefore() + " then " + r.servedSerialAfter() + " after the renewal");
    }

    private static void bench(StackConfig config, List<String> args) {
        String which = args.isEmpty() ? "" : args.get(0);
        List<String> options = args.subList(Math.min(1, args.size()), args.size());
        String commandLine = "./certflow bench " + String.join(" ", args);
        String report = switch (which) {
            case "issue" -> new IssueBench(config, System.out).run(IssueBench.Options.parse(options), commandLine);
            case "dns" -> new DnsBench(config, System.out).run(DnsBench.Options.parse(options), commandLine);
            case "deploy" -> new DeployBench(config, System.out).run(DeployBench.Options.parse(options), commandLine);
            case "renewals" -> new RenewalBench(config, System.out).run(RenewalBench.Options.parse(options), commandLine);
            case "soak" -> new SoakBench(config, System.out).run(SoakBench.Options.parse(options), commandLine);
            case "events" -> new EventsBench(config, System.out).run(EventsBench.Options.parse(options), commandLine);
            default -> throw new DevstackException("bench: the benchmarks are: issue [--count N] [--clients C]"
                    + " [--peers lego,certbot] [--no-peers] [--peer-parallel P] [--timeout-minutes M];"
                    + " dns [--names N] [--seconds S] [--warmup-seconds S] [--clients C] [--outstanding Q] [--rate R]"
                    + " [--workers W] [--no-memory];"
                    + " renewals [--hosted N] [--due D] [--steady S] [--timeout-minutes M] [--memory-store]"
                    + " [--mongo-heap SIZE] [--probe-runs R | --no-probe];"
                    + " deploy [--resources N] [--type nginx|haproxy] [--parallelism P];"
                    + " soak [--count N] [--minutes M] [--fault-every-seconds S] [--ca-outage-seconds S] [--clients C];"
                    + " events [--services order,verification,issuance,hosting,deployment] [--count N] [--backlog N]"
                    + " [--warmup N | --no-warmup] [--timeout-minutes M] [--jfr]");
        };
        System.out.println();
        System.out.println(report);
    }

    private static void paths(StackConfig config) {
        Path home = config.home();
        System.out.println("home=" + home);
        System.out.println("logs=" + config.logsDir());
        System.out.println("data=" + config.dataDir());
        System.out.println("run=" + config.runDir());
        System.out.println("pebble-ca=" + new PebbleProcess(config).caCertificate());
        System.out.println("nginx-reload=" + new NginxProcess(config).reloadCommand());
    }

    private static void usage() {
        System.err.println("usage: java -cp ... io.certflow.devstack.Cli up [--infra-only] | down | status | demo | paths"
                + " | bench issue|dns|deploy|renewals|soak|events [options]");
    }
}
