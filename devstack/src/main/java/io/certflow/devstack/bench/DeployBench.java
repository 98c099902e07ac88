package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.Pki;
import io.certflow.devstack.Ports;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./certflow bench deploy}: one renewal deployed to N resources of one real server, the way the platform does
 * it, beside the same work done one resource at a time. Starts Kafka and the Mongo wire server as {@code ./certflow up}
 * does, one nginx serving N TLS sites (or one HAProxy serving N certificates), a stand-in for issuance-service's
 * internal bundle endpoint ({@link BenchBundleServer}) and the real deployment-service (its jar) with
 * {@code certflow.deployment.jobs.parallelism} = P. Registers the N sites as resources and one task over all of them
 * through the public API, publishes {@code CertificateIssued} of version A on Kafka and submits the task, so that it
 * succeeds once and inherits; then publishes {@code CertificateIssued} of version B and measures until the
 * {@code DeploymentCompleted} of B arrives, checking by its own TLS handshakes that every name serves B. Then the same
 * with deployment-service restarted at parallelism 1 (after one unmeasured renewal in the fresh JVM), and, for nginx,
 * what one reload for all sites costs when the benchmark writes every file itself. The report (also appended to
 * {@code <home>/bench/results.md}) names the machine, its load, the date and the command.
 */
public final class DeployBench {

    /** The server type the sites run on. */
    public enum Type { NGINX, HAPROXY }

    /** What to run. */
    public record Options(int resources, Type type, int parallelism, boolean sequential, boolean oneReload,
                          Duration timeout) {
        public static Options parse(List<String> args) {
            int resources = 100;
            Type type = Type.NGINX;
            int parallelism = 4;
            boolean sequential = true;
            boolean oneReload = true;
            Duration timeout = Duration.ofMinutes(20);
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--resources" -> resources = BenchOptions.positive("deploy", a, args, ++i);
                    case "--parallelism" -> parallelism = BenchOptions.positive("deploy", a, args, ++i);
                    case "--timeout-minutes" -> timeout = Duration.ofMinutes(BenchOptions.positive("deploy", a, args, ++i));
                    case "--no-sequential" -> sequential = false;
                    case "--no-one-reload" -> oneReload = false;
                    case "--type" -> {
                        String v = BenchOptions.value("deploy", a, args, ++i);
                        try {
                            type = Type.valueOf(v.trim().toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            throw new DevstackException("bench deploy: --type is nginx or haproxy, not " + v);
                        }
                    }
                    default -> throw new DevstackException("bench deploy: unknown option " + a);
                }
            }
            return new Options(resources, type, parallelism, sequential, oneReload, timeout);
        }
    }

    static final String CERTIFICATE_ISSUED = "certflow.certificate-issued";
    static final String DEPLOYMENT_COMPLETED = "certflow.deployment-completed";
    private static final String WILDCARD = "*." + DeploySites.ZONE;

    /** One certificate version: a new key and a wildcard certificate signed by the benchmark's CA. */
    record Version(String serial, String chainPem, String keyPem, java.security.cert.X509Certificate leaf) {
        static Version issue(Pki.Issued ca) {
            Pki.Issued leaf = Pki.newServerCertificate(ca, List.of(WILDCARD), List.of(), Duration.ofDays(90));
            return new Version(leaf.certificate().getSerialNumber().toString(16),
                    Pki.toPem(leaf.certificate(), ca.certificate()), Pki.toPem(leaf.privateKey()), leaf.certificate());
        }
    }

    /** A {@code DeploymentCompleted} as the benchmark received it. */
    record Completed(JsonNode event, Instant receivedAt, long receivedNanos) {
    }

    /** What one deployment of a version to every resource measured. */
    record Run(String label, int parallelism, String serial, Duration eventToCompleted, Instant fired,
               Instant received, Optional<Instant> jobCreated, Optional<Instant> jobFinished, DeployLog log, int results,
               int deployed, int retried, int tlsServing, List<String> failures, TreeCpu service, TreeCpu sites,
               long kafkaMillis, long mongoMillis, long reloads, Duration window) {
        boolean allDeployed(int n) {
            return deployed == n && tlsServing == n;
        }

        Optional<Duration> jobCreatedToFinished() {
            return between(jobCreated, jobFinished);
        }

        /** Whether this is one of the measured renewals (not a submit or a warm-up). */
        boolean measured() {
            return label.startsWith("**");
        }
    }

    static Optional<Duration> between(Optional<Instant> from, Optional<Instant> to) {
        return from.isPresent() && to.isPresent() ? Optional.of(Duration.between(from.get(), to.get())) : Optional.empty();
    }

    private final StackConfig base;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DeployBench(StackConfig base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    /** Runs the benchmark and returns the report (markdown). */
    public String run(Options options, String commandLine) {
        Path home = BenchHome.fresh(base, "deploy");
        StackConfig config = base.withHome(home).withPorts(Ports.free()).withDetached(false)
                .withComponents(EnumSet.of(Component.MONGO, Component.KAFKA)).withStartTimeout(Duration.ofSeconds(300));
        String loadBefore = DnsBench.loadAverage();
        int n = options.resources();
        out.printf("bench: %d %s resources, parallelism %d%s; load average %s; in %s%n", n,
                options.type().name().toLowerCase(Locale.ROOT), options.parallelism(),
                options.sequential() && options.parallelism() > 1 ? " then 1" : "", loadBefore, home);
        Pki.Issued ca = Pki.newCa("certflow bench deploy CA", Duration.ofDays(30));
        String certificateId = "bench-deploy-" + Long.toString(System.currentTimeMillis(), 36);
        DeploySites sites = options.type() == Type.NGINX ? new BenchNginxSites(config, n) : new BenchHaproxySites(config, n);
        ServiceProcess[] service = new ServiceProcess[1];
        List<Run> runs = new ArrayList<>();
        Optional<BenchNginxSites.OneReload> oneReload = Optional.empty();
        TreeCpu oneReloadCpu = TreeCpu.NONE;
        String sitesDescription;
        // a SIGTERM to this JVM alone (not Ctrl-C, which reaches every process of the group) must not leave them
        Thread cleanup = new Thread(() -> {
            if (service[0] != null) {
                service[0].stop();
            }
            sites.close();
        }, "bench-deploy-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (Stack infra = Stack.start(config, false, line -> out.println("  " + line));
             BenchBundleServer bundles = new BenchBundleServer(config.ports().issuance(), config.internalToken())) {
            Events events = null;
            try {
                out.println("bench: starting " + sites.type() + " with " + n + " sites");
                sites.start();
                sitesDescription = sites.describe();
                service[0] = startService(config, sites, options.parallelism());
                // after the service created the topics (3 partitions each): a consumer that subscribes to a topic
                // before it exists, or before its partitions were added, may see them only minutes later
                events = new Events(config, certificateId);
                Api api = new Api(config);
                out.println("bench: registering " + n + " resources and one task over all of them");
                List<String> resourceIds = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    JsonNode r = api.call("POST", "/api/v1/resources", Map.of("type", sites.type(),
                            "name", DeploySites.serverName(i), "config", sites.resourceConfig(i)), 201);
                    resourceIds.add(r.path("resourceId").asText());
                }
                Version a = Version.issue(ca);
                bundles.put(certificateId, a.serial(), a.chainPem(), a.keyPem());
                events.publishIssued(a, null);
                String taskId = createTask(api, certificateId, resourceIds);
                out.println("bench: version A (" + a.serial() + ") submitted, the task's first deployment");
                Events kafka = events;
                // the task inherits renewals only once a job reached every resource: submitted again (at most
                // three times) when one did not, each job reported
                for (int attempt = 1; ; attempt++) {
                    Run submit = measure("submit of A" + (attempt == 1 ? " (fresh JVM)" : ", again"),
                            options.parallelism(), a, n, service[0], sites, infra, kafka, api, options.timeout(),
                            () -> api.call("POST", "/api/v1/deployment-tasks/" + taskId + "/submit", null, 202));
                    runs.add(submit);
                    report(submit, n);
                    if (submit.allDeployed(n)) {
                        break;
                    }
                    if (attempt == 3) {
                        throw new DevstackException("bench deploy: three submits of the task did not reach every"
                                + " resource, so it does not inherit renewals: " + submit.failures());
                    }
                    kafka.forget(a.serial());
                }
                Version previous = a;
                List<Integer> settings = new ArrayList<>(List.of(options.parallelism()));
                if (options.sequential() && options.parallelism() != 1) {
                    settings.add(1);
                }
                for (int s = 0; s < settings.size(); s++) {
                    int p = settings.get(s);
                    if (s > 0) {
                        out.println("bench: restarting deployment-service with parallelism " + p);
                        service[0].stop();
                        service[0] = startService(config, sites, p);
                        Version warm = Version.issue(ca);
                        bundles.put(certificateId, warm.serial(), warm.chainPem(), warm.keyPem());
                        Version prev = previous;
                        out.println("bench: warm-up renewal " + warm.serial() + " (not the measured one)");
                        Run w = measure("renewal, warm-up (fresh JVM)", p, warm, n, service[0], sites, infra, events, api,
                                options.timeout(), () -> kafka.publishIssued(warm, prev.serial()));
                        runs.add(w);
                        report(w, n);
                        previous = warm;
                    }
                    Version next = Version.issue(ca);
                    bundles.put(certificateId, next.serial(), next.chainPem(), next.keyPem());
                    Version prev = previous;
                    out.println("bench: renewal " + next.serial() + " with parallelism " + p + " (measured)");
                    Run r = measure("**renewal**", p, next, n, service[0], sites, infra, events, api, options.timeout(),
                            () -> kafka.publishIssued(next, prev.serial()));
                    runs.add(r);
                    report(r, n);
                    previous = next;
                }
                if (options.oneReload() && sites instanceof BenchNginxSites nginx) {
                    service[0].stop(); // nothing else touches nginx meanwhile
                    Version x = Version.issue(ca);
                    out.println("bench: one reload for all " + n + " sites, done by the benchmark itself");
                    TreeCpu before = TreeCpu.of(sites.handle());
                    BenchNginxSites.OneReload once = nginx.reloadOnceForAll(x.chainPem(), x.keyPem(), x.serial(),
                            Duration.ofMinutes(2));
                    oneReloadCpu = TreeCpu.of(sites.handle()).minus(before);
                    oneReload = Optional.of(once);
                    out.printf(Locale.ROOT, "  every name served it after %.2f s (nginx -t %.2f s, nginx -s reload %.2f s)%n",
                            seconds(once.total()), seconds(once.test()), seconds(once.reload()));
                }
            } finally {
                if (events != null) {
                    events.close();
                }
                if (service[0] != null) {
                    service[0].stop();
                }
                sites.close();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs
            }
        }
        String report = report(commandLine, options, sitesDescription, runs, oneReload, oneReloadCpu, loadBefore,
                DnsBench.loadAverage());
        BenchHome.save(base, report, out);
        return report;
    }

    private ServiceProcess startService(StackConfig config, DeploySites sites, int parallelism) {
        StackConfig c = config
                .withServiceProperty(Component.DEPLOYMENT_SERVICE, "certflow.deployment.jobs.parallelism",
                        Integer.toString(parallelism))
                .withServiceProperty(Component.DEPLOYMENT_SERVICE, sites.allowedDirectoriesProperty(),
                        sites.directory().toString());
        ServiceProcess service = new ServiceProcess(c, Component.DEPLOYMENT_SERVICE);
        out.println("bench: starting deployment-service (parallelism " + parallelism + ", log " + service.logFile() + ")");
        service.start();
        return service;
    }

    /** Creates the task, waiting until deployment-service has heard of the certificate. */
    private String createTask(Api api, String certificateId, List<String> resourceIds) {
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            Api.Answer r = api.send("POST", "/api/v1/deployment-tasks",
                    Map.of("certificateId", certificateId, "resourceIds", resourceIds));
            if (r.status() == 201) {
                return r.json().path("taskId").asText();
            }
            if (!(r.status() == 400 && r.body().contains("unknown certificate")) || Instant.now().isAfter(deadline)) {
                throw new DevstackException("bench deploy: creating the task answered " + r.status() + ": " + r.body());
            }
            ManagedProcess.sleep(200);
        }
    }

    /** Something that starts a deployment: a submit or a published {@code CertificateIssued}. */
    private interface Trigger {
        void fire();
    }

    /** Fires {@code trigger}, waits for the version's {@code DeploymentCompleted}, then checks every name by TLS. */
    private Run measure(String label, int parallelism, Version version, int n, ServiceProcess service,
                        DeploySites sites, Stack infra, Events events, Api api, Duration timeout, Trigger trigger) {
        long reloadsBefore = sites.reloads();
        TreeCpu service0 = TreeCpu.of(service.handle());
        TreeCpu sites0 = TreeCpu.of(sites.handle());
        long kafka0 = TreeCpu.of(infra.kafka().handle()).totalMillis();
        long mongo0 = TreeCpu.of(infra.mongo().handle()).totalMillis();
        Instant fired = Instant.now();
        long t0 = System.nanoTime();
        trigger.fire();
        Completed done = events.awaitCompleted(version.serial(), timeout);
        long t1 = done.receivedNanos();
        TreeCpu serviceCpu = TreeCpu.of(service.handle()).minus(service0);
        TreeCpu sitesCpu = TreeCpu.of(sites.handle()).minus(sites0);
        long kafka = TreeCpu.of(infra.kafka().handle()).totalMillis() - kafka0;
        long mongo = TreeCpu.of(infra.mongo().handle()).totalMillis() - mongo0;
        long reloads = reloadsBefore < 0 ? -1 : sites.reloads() - reloadsBefore;

        JsonNode event = done.event();
        int results = 0;
        int deployed = 0;
        int retried = 0;
        Set<String> failures = new LinkedHashSet<>();
        for (JsonNode r : event.path("results")) {
            results++;
            if ("DEPLOYED".equals(r.path("outcome").asText()) && version.serial().equals(r.path("servedSerialNumber").asText())) {
                deployed++;
            } else if (failures.size() < 5) {
                failures.add(r.path("resourceName").asText() + ": " + r.path("outcome").asText() + " "
                        + r.path("message").asText());
            }
            if (r.path("attempts").asInt(1) > 1) {
                retried++;
            }
        }
        Api.Answer job = api.send("GET", "/api/v1/deployment-jobs/" + event.path("jobId").asText(), null);
        Optional<Instant> created = job.status() == 200 && job.json().hasNonNull("createdAt")
                ? Optional.of(Instant.parse(job.json().path("createdAt").asText())) : Optional.empty();
        // a task submitted again for the same version reruns its job, which keeps the first run's createdAt
        created = created.filter(c -> !c.isBefore(fired.minusSeconds(1)));
        Optional<Instant> finished = job.status() == 200 && job.json().hasNonNull("finishedAt")
                ? Optional.of(Instant.parse(job.json().path("finishedAt").asText())) : Optional.empty();
        int serving = 0;
        for (int i = 0; i < n; i++) {
            String name = DeploySites.serverName(i);
            try {
                String served = TlsProbe.servedSerialHex("127.0.0.1", sites.port(), name);
                if (version.serial().equals(served)) {
                    serving++;
                } else if (failures.size() < 10) {
                    failures.add(name + " serves " + served + " by the benchmark's own TLS handshake, not " + version.serial());
                }
            } catch (DevstackException e) {
                if (failures.size() < 10) {
                    failures.add(name + ": " + e.getMessage());
                }
            }
        }
        DeployLog log = DeployLog.of(service.logFile(), version.serial(), fired.truncatedTo(ChronoUnit.MILLIS));
        return new Run(label, parallelism, version.serial(), Duration.ofNanos(t1 - t0), fired, done.receivedAt(),
                created, finished, log, results, deployed,
                retried, serving, List.copyOf(failures), serviceCpu, sitesCpu, kafka, mongo, reloads, Duration.ofNanos(t1 - t0));
    }

    private void report(Run r, int n) {
        out.printf(Locale.ROOT, "  %s: %.2f s to DeploymentCompleted, %d/%d DEPLOYED, %d/%d serve it by TLS; per resource %s%n",
                r.label().replace("*", ""), seconds(r.eventToCompleted()), r.deployed(), n, r.tlsServing(), n,
                r.log().perResource().summary());
        r.failures().forEach(f -> out.println("    " + f));
    }

    private String report(String commandLine, Options options, String sites, List<Run> runs,
                          Optional<BenchNginxSites.OneReload> oneReload, TreeCpu oneReloadCpu, String loadBefore,
                          String loadAfter) {
        int n = options.resources();
        String type = options.type().name().toLowerCase(Locale.ROOT);
        StringBuilder r = new StringBuilder(BenchHome.heading(commandLine));
        r.append("Machine: ").append(Machine.describe()).append("; load average (1, 5, 15 min) before ")
                .append(loadBefore).append(", after ").append(loadAfter).append(".\n\n");
        r.append("Target: ").append(sites).append(". One certificate (`").append(WILDCARD)
                .append("`, EC P-256, a new key per version) deployed to ").append(n)
                .append(" resources of one task. Bundle source: the benchmark's stand-in for issuance-service's internal"
                        + " bundle endpoint (as deployment-service's tests do), not the real issuance-service."
                        + " deployment-service: its jar, JVM options ")
                .append(String.join(" ", base.serviceJvmArgs()))
                .append(", default settings besides `certflow.deployment.jobs.parallelism` (job poll every 1 s).\n\n");
        r.append("The clock runs from publishing `CertificateIssued` (for the submit: from `POST …/submit`) until the"
                + " benchmark receives the version's `DeploymentCompleted`; the TLS check is the benchmark's own"
                + " handshake with SNI to every name afterwards. Per resource: from the target's `deploying` to its"
                + " `serves` log line (deployment-service's log).\n\n");
        r.append("| run | parallelism | → DeploymentCompleted | job created → finished | first deploy → last proven"
                + " | per resource p50 / p95 / p99 | DEPLOYED | serve it (own TLS check) | resources retried |"
                + (options.type() == Type.NGINX ? " nginx reloads |" : "") + "\n");
        r.append("|---|---|---|---|---|---|---|---|---|").append(options.type() == Type.NGINX ? "---|" : "").append('\n');
        for (Run x : runs) {
            String span = x.log().firstDeploy().isPresent() && x.log().lastServed().isPresent()
                    ? secondsText(Duration.between(x.log().firstDeploy().get(), x.log().lastServed().get())) : "-";
            r.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d / %d | %d / %d | %d |%s%n",
                    x.label(), x.parallelism(), (x.measured() ? "**" : "")
                            + secondsText(x.eventToCompleted()) + (x.measured() ? "**" : ""),
                    x.jobCreatedToFinished().map(DeployBench::secondsText).orElse("-"), span,
                    x.log().perResource().summary(), x.deployed(), n, x.tlsServing(), n, x.retried(),
                    options.type() == Type.NGINX ? " " + x.reloads() + " |" : ""));
        }
        r.append('\n');
        List<Run> measured = runs.stream().filter(Run::measured).toList();
        if (measured.size() == 2 && measured.get(0).eventToCompleted().toMillis() > 0) {
            Run parallel = measured.get(0);
            Run sequential = measured.get(1);
            r.append(String.format(Locale.ROOT, "One by one / parallelism %d: **%.2f×** the time (%.2f s against %.2f s);"
                            + " %.2f s against %.2f s per resource on average.%n%n",
                    parallel.parallelism(), seconds(sequential.eventToCompleted()) / seconds(parallel.eventToCompleted()),
                    seconds(sequential.eventToCompleted()), seconds(parallel.eventToCompleted()),
                    seconds(sequential.eventToCompleted()) / n, seconds(parallel.eventToCompleted()) / n));
        }
        r.append("Where the time goes (wall clock; the service's times from its job and log):\n\n"
                + "| run | parallelism | published → job created | job created → running | running → first deploy"
                + " | first deploy → last proven | last proven → job finished | job finished → event received |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Run x : runs) {
            Optional<Instant> fired = x.label().startsWith("submit") ? Optional.empty() : Optional.of(x.fired());
            r.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", x.label(), x.parallelism(),
                    text(between(fired, x.jobCreated())), text(between(x.jobCreated(), x.log().jobStarted())),
                    text(between(x.log().jobStarted(), x.log().firstDeploy())),
                    text(between(x.log().firstDeploy(), x.log().lastServed())),
                    text(between(x.log().lastServed(), x.jobFinished())),
                    text(between(x.jobFinished(), Optional.of(x.received())))));
        }
        r.append('\n');
        r.append("| run | parallelism | window | deployment-service JVM | its commands (").append(options.type() == Type.NGINX
                ? "`nginx -t`, `nginx -s reload`" : "none expected").append(") | ").append(type)
                .append(" (all its processes) | Kafka | Mongo wire server |\n|---|---|---|---|---|---|---|---|\n");
        for (Run x : runs) {
            double w = Math.max(0.001, seconds(x.window()));
            r.append(String.format(Locale.ROOT, "| %s | %d | %.1f s | %s | %s | %s | %s | %s |%n", x.label(), x.parallelism(),
                    w, cpu(x.service().ownMillis(), w), cpu(x.service().childrenMillis(), w), cpu(x.sites().totalMillis(), w),
                    cpu(x.kafkaMillis(), w), cpu(x.mongoMillis(), w)));
        }
        r.append("\nCPU: seconds of user + system time in the window (share of one core); processes that ended are"
                + " counted through their parent (`cutime`).\n\n");
        oneReload.ifPresent(o -> r.append(String.format(Locale.ROOT, "One reload for all %d sites, done by the benchmark"
                        + " itself (not deployment-service; no rollback, no per-site proof): files written %.2f s,"
                        + " `nginx -t` %.2f s, `nginx -s reload` %.2f s, every name served the new certificate %.2f s after"
                        + " the reload began; %.2f s in all%s; nginx's processes used %.1f s CPU.%n%n", n,
                seconds(o.write()), seconds(o.test()), seconds(o.reload()), seconds(o.served()), seconds(o.total()),
                o.allServe() ? "" : " (NOT every name within 2 min)", oneReloadCpu.totalMillis() / 1000.0)));
        List<String> failures = new ArrayList<>();
        runs.forEach(x -> x.failures().forEach(f -> failures.add(x.label().replace("*", "") + ", " + x.serial() + ": " + f)));
        if (!failures.isEmpty()) {
            r.append("Failures:\n");
            failures.stream().limit(20).forEach(f -> r.append("- ").append(f).append('\n'));
            r.append('\n');
        }
        return r.toString();
    }

    private static String cpu(long millis, double windowSeconds) {
        return String.format(Locale.ROOT, "%.1f s (%.0f %%)", millis / 1000.0, 100.0 * millis / 1000.0 / windowSeconds);
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String text(Optional<Duration> d) {
        return d.map(DeployBench::secondsText).orElse("-");
    }

    static String secondsText(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", seconds(d));
    }

    /** The Kafka side: publishes {@code CertificateIssued} as issuance-service does, hears {@code DeploymentCompleted}. */
    private static final class Events implements AutoCloseable {
        private final String certificateId;
        private final String accountId;
        private final KafkaProducer<String, String> producer;
        private final Map<String, Completed> completed = new ConcurrentHashMap<>();
        private final Set<String> forgotten = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread listener;
        private final ObjectMapper json = new ObjectMapper();

        Events(StackConfig config, String certificateId) {
            this.certificateId = certificateId;
            this.accountId = config.accountId();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "certflow-bench-deploy-" + UUID.randomUUID());
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a fresh broker: every record is this run's
            c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(DEPLOYMENT_COMPLETED));
            CountDownLatch assigned = new CountDownLatch(1);
            listener = new Thread(() -> {
                try (consumer) {
                    while (!stop.get()) {
                        if (assigned.getCount() > 0 && !consumer.assignment().isEmpty()) {
                            assigned.countDown();
                        }
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                            long nanos = System.nanoTime();
                            try {
                                JsonNode e = json.readTree(r.value());
                                if (certificateId.equals(e.path("certificateId").asText())
                                        && !forgotten.contains(e.path("eventId").asText())) {
                                    completed.putIfAbsent(e.path("serialNumber").asText(), new Completed(e, Instant.now(), nanos));
                                }
                            } catch (IOException | RuntimeException e) {
                                // not an event the benchmark reads
                            }
                        }
                    }
                }
            }, "bench-deployment-completed");
            listener.setDaemon(true);
            listener.start();
            try {
                if (!assigned.await(120, TimeUnit.SECONDS)) {
                    throw new DevstackException("bench deploy: no partition of " + DEPLOYMENT_COMPLETED + " in 120 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevstackException("interrupted", e);
            }
        }

        /** Publishes {@code CertificateIssued} of {@code v} (key: the certificate id; CloudEvents headers). */
        void publishIssued(Version v, String replaces) {
            Instant now = Instant.now();
            String eventId = UUID.randomUUID().toString();
            ObjectNode e = json.createObjectNode();
            e.put("eventId", eventId);
            e.put("occurredAt", now.toString());
            e.put("accountId", accountId);
            e.put("certificateId", certificateId);
            e.put("attemptId", "bench-" + UUID.randomUUID());
            e.put("serialNumber", v.serial());
            e.put("fingerprintSha256", fingerprint(v));
            e.put("notBefore", v.leaf().getNotBefore().toInstant().toString());
            e.put("notAfter", v.leaf().getNotAfter().toInstant().toString());
            e.putArray("domains").add(WILDCARD);
            e.put("issuer", v.leaf().getIssuerX500Principal().getName());
            e.put("certificateChainPem", v.chainPem());
            if (replaces != null) {
                e.put("replacesSerialNumber", replaces);
            }
            ProducerRecord<String, String> record = new ProducerRecord<>(CERTIFICATE_ISSUED, certificateId, e.toString());
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", eventId);
            header(record, "ce_type", "io.certflow.certificate.issued.v1");
            header(record, "ce_source", "/devstack-bench");
            header(record, "ce_time", DateTimeFormatter.ISO_INSTANT.format(now));
            header(record, "ce_subject", certificateId);
            header(record, "content-type", "application/json");
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e1) {
                throw new DevstackException("bench deploy: publishing CertificateIssued failed: " + e1.getMessage(), e1);
            } catch (InterruptedException e1) {
                Thread.currentThread().interrupt();
                throw new DevstackException("interrupted", e1);
            }
        }

        /** Forgets the {@code DeploymentCompleted} of {@code serial}, to wait for the next one of the same version. */
        void forget(String serial) {
            Completed c = completed.remove(serial);
            if (c != null) {
                // a duplicate of its event (same id) is not the next run's; the next run is a job of its own (new jobId)
                forgotten.add(c.event().path("eventId").asText());
            }
        }

        Completed awaitCompleted(String serial, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Completed c = completed.get(serial);
                if (c != null) {
                    return c;
                }
                ManagedProcess.sleep(20);
            }
            throw new DevstackException("bench deploy: no DeploymentCompleted of version " + serial + " within "
                    + timeout.toMinutes() + " min (see the deployment-service log)");
        }

        private static void header(ProducerRecord<String, String> record, String name, String value) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }

        private static String fingerprint(Version v) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.leaf().getEncoded()));
            } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
                throw new DevstackException("cannot fingerprint a certificate", e);
            }
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                listener.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** deployment-service's public API with the demo API key. */
    private final class Api {
        private final StackConfig config;

        record Answer(int status, String body, JsonNode json) {
        }

        Api(StackConfig config) {
            this.config = config;
        }

        JsonNode call(String method, String path, Object body, int expected) {
            Answer a = send(method, path, body);
            if (a.status() != expected) {
                throw new DevstackException("bench deploy: " + method + " " + path + " answered " + a.status() + ": " + a.body());
            }
            return a.json();
        }

        Answer send(String method, String path, Object body) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.serviceUrl(Component.DEPLOYMENT_SERVICE) + path))
                        .timeout(Duration.ofSeconds(60)).header("X-Api-Key", config.apiKey())
                        .header("Accept", "application/json");
                b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                        : b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode parsed;
                try {
                    parsed = r.body() == null || r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
                } catch (IOException e) {
                    parsed = json.nullNode();
                }
                return new Answer(r.statusCode(), r.body(), parsed);
            } catch (IOException e) {
                throw new DevstackException("bench deploy: " + method + " " + path + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevstackException("interrupted", e);
            }
        }
    }
}
