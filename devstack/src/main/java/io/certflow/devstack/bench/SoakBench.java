package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.NginxProcess;
import io.certflow.devstack.PebbleBehaviour;
import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.faults.Faults;
import io.certflow.devstack.faults.GatedPlatform;
import io.certflow.devstack.faults.RecoveryTimings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code ./certflow bench soak}: a stack of its own (free ports, issuance-service behind a {@link io.certflow.devstack.CaGate
 * CaGate}, the short recovery settings of {@link RecoveryTimings}) issues N certificates bought by upstream billing
 * ({@code PurchaseCompleted}) and renews each through hosting-service's API, one of them deployed to nginx, while
 * faults are injected one after another on a schedule: {@code kill -9} of each service, Kafka stopped 20 s, the Mongo
 * wire server restarted, BIND and nginx stopped 10 s, the CA unreachable for two minutes. Bounded in minutes, it
 * reports what was lost (requests and renewals without {@code CertificateIssued} or {@code IssuanceFailed}),
 * duplicates (ACME orders beyond one per request, {@code CertificateIssued} events per attempt, deployment jobs per
 * version), dead letters, and per fault how long the component took to be ready and when progress resumed.
 */
public final class SoakBench {

    /** What to run. */
    public record Options(int count, Duration bound, Duration faultEvery, Duration caOutage, int clients) {
        public static Options parse(List<String> args) {
            int count = 300;
            Duration bound = Duration.ofMinutes(30);
            Duration every = Duration.ofSeconds(30);
            Duration caOutage = Duration.ofMinutes(2);
            int clients = 8;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--count" -> count = BenchOptions.positive("soak", a, args, ++i);
                    case "--minutes" -> bound = Duration.ofMinutes(BenchOptions.positive("soak", a, args, ++i));
                    case "--fault-every-seconds" -> every = Duration.ofSeconds(BenchOptions.positive("soak", a, args, ++i));
                    case "--ca-outage-seconds" -> caOutage = Duration.ofSeconds(BenchOptions.positive("soak", a, args, ++i));
                    case "--clients" -> clients = BenchOptions.positive("soak", a, args, ++i);
                    default -> throw new DevstackException("bench soak: unknown option " + a);
                }
            }
            return new Options(count, bound, every, caOutage, clients);
        }
    }

    /** One fault of the schedule: when it began, when its component was ready (or the CA reachable) again. */
    record Fault(String what, Instant began, Instant ended) {
    }

    private static final String PURCHASE_TOPIC = "certflow.purchase-completed";

    private final StackConfig base;
    private final PrintStream out;
    private final ServiceApi api = new ServiceApi();
    private final ObjectMapper json = new ObjectMapper();

    public SoakBench(StackConfig base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    /** Runs the soak and returns the report (markdown). */
    public String run(Options options, String commandLine) {
        Path home = BenchHome.fresh(base, "soak");
        StackConfig config = RecoveryTimings.apply(base.withHome(home).withPorts(Ports.free()).withDetached(false)
                .withPebble(PebbleBehaviour.fast()).withStartTimeout(Duration.ofSeconds(360)));
        out.println("bench soak: starting a stack of its own in " + home + " (free ports, issuance behind a CA gate)");
        Instant started = Instant.now();
        Instant deadline = started.plus(options.bound());
        try (GatedPlatform platform = GatedPlatform.start(config, line -> out.println("  " + line));
             SoakLedger ledger = SoakLedger.start(platform.config().kafkaBootstrapServers())) {
            StackConfig running = platform.config();
            out.println("bench soak: one certificate deployed to nginx, " + options.count() + " domains delegated");
            String deployed = deployOne(platform);
            List<String> domains = delegate(running, options.count(), options.clients());

            // one wave of purchases per fault of the schedule, and the renewal of what the waves before issued, so
            // that every fault meets work in flight
            List<String> schedule = schedule(options);
            List<Fault> faults = new ArrayList<>();
            Set<String> renewalAsked = new java.util.HashSet<>();
            List<String> unrequested = new ArrayList<>();
            Instant workStarted = Instant.now();
            int perWave = (domains.size() + schedule.size() - 1) / schedule.size();
            for (int i = 0; i < schedule.size() && Instant.now().isBefore(deadline); i++) {
                List<String> wave = domains.subList(Math.min(domains.size(), i * perWave),
                        Math.min(domains.size(), (i + 1) * perWave));
                publishPurchases(running, wave);
                renewIssued(running, ledger, renewalAsked, unrequested, deadline);
                ManagedProcess.sleep(options.faultEvery().toMillis());
                faults.add(inject(platform, schedule.get(i), options));
            }
            out.println("bench soak: schedule done; waiting for the last issuances and renewals");
            awaitUntil(deadline, () -> {
                renewIssued(running, ledger, renewalAsked, unrequested, deadline);
                return ledger.requested().size() >= domains.size() + 1 && ledger.lost().isEmpty()
                        && renewalsSettled(ledger);
            });
            Duration working = Duration.between(workStarted, Instant.now());
            bringEverythingBack(platform);
            String report = report(commandLine, options, platform, ledger, faults, deployed, unrequested,
                    Duration.between(started, Instant.now()), working);
            BenchHome.save(base, report, out);
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }

    // ---- the work ---------------------------------------------------------------------------------

    /** The demo domain bought, issued and deployed to nginx, so that its renewal is deployed by itself. */
    private String deployOne(GatedPlatform platform) {
        StackConfig c = platform.config();
        delegateDomain(c, StackConfig.DEMO_DOMAIN);
        String certificateId = call(c, "POST", Component.ORDER_SERVICE, "/api/v1/orders", Map.of("domains",
                List.of(StackConfig.DEMO_DOMAIN), "product", "dv-single", "termYears", 1, "hosting", true)).path("certificateId").asText();
        awaitUntil(Instant.now().plusSeconds(180), () -> "HOSTED".equals(optional(c, Component.HOSTING_SERVICE,
                "/api/v1/certificates/" + certificateId).map(n -> n.path("status").asText()).orElse("")));
        NginxProcess nginx = platform.infrastructure().nginx();
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("certificatePath", nginx.certificatePath().toString());
        resource.put("keyPath", nginx.keyPath().toString());
        resource.put("reloadCommand", nginx.reloadCommand());
        resource.put("tlsAddress", nginx.tlsAddress());
        resource.put("serverName", nginx.serverName());
        String resourceId = call(c, "POST", Component.DEPLOYMENT_SERVICE, "/api/v1/resources",
                Map.of("type", "nginx", "name", "soak-nginx", "config", resource)).path("resourceId").asText();
        String taskId = call(c, "POST", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks",
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId))).path("taskId").asText();
        String jobId = call(c, "POST", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks/" + taskId + "/submit", null)
                .path("jobId").asText();
        awaitUntil(Instant.now().plusSeconds(120), () -> "SUCCEEDED".equals(call(c, "GET", Component.DEPLOYMENT_SERVICE,
                "/api/v1/deployment-jobs/" + jobId, null).path("status").asText()));
        return certificateId;
    }

    private List<String> delegate(StackConfig c, int count, int clients) {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            domains.add("soak" + run + "-" + i + ".demo.certflow.test");
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (var f : pool.invokeAll(domains.stream().<java.util.concurrent.Callable<Void>>map(d -> () -> {
                delegateDomain(c, d);
                return null;
            }).toList())) {
                f.get();
            }
        } catch (Exception e) {
            throw new DevstackException("delegating the soak's domains failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return domains;
    }

    private void delegateDomain(StackConfig c, String domain) {
        JsonNode delegation = call(c, "GET", Component.VERIFICATION_SERVICE, "/api/v1/domains/" + domain + "/delegation", null);
        new io.certflow.devstack.BindProcess(c).addCname(delegation.path("recordName").asText(),
                delegation.path("recordValue").asText());
        awaitUntil(Instant.now().plusSeconds(60), () -> call(c, "POST", Component.VERIFICATION_SERVICE,
                "/api/v1/domains/" + domain + "/verify", null).path("verified").asBoolean());
    }

    /** Upstream billing's purchases, one per domain: applied once per order id however often delivered. */
    private void publishPurchases(StackConfig c, List<String> domains) {
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String domain : domains) {
                String orderId = "soak-" + UUID.randomUUID();
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("eventId", UUID.randomUUID().toString());
                value.put("occurredAt", Instant.now().toString());
                value.put("accountId", c.accountId());
                value.put("orderId", orderId);
                value.put("product", "dv-single");
                value.put("domains", List.of(domain));
                value.put("termYears", 1);
                value.put("hosting", true);
                ProducerRecord<String, String> record = new ProducerRecord<>(PURCHASE_TOPIC, orderId, json.writeValueAsString(value));
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", value.get("eventId").toString());
                header(record, "ce_type", "io.certflow.purchase.completed.v1");
                header(record, "ce_source", "/soak-billing");
                header(record, "ce_time", value.get("occurredAt").toString());
                header(record, "ce_subject", orderId);
                header(record, "content-type", "application/json");
                sent.add(producer.send(record));
            }
            for (var f : sent) {
                f.get(10, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new DevstackException("publishing the soak's purchases failed: " + e.getMessage(), e);
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code POST /renew}, tried again only while hosting-service refuses the connection or is not ready (the request
     * was not taken); false when it never was.
     */
    private boolean renew(StackConfig c, String certificateId, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = send(c, "POST", Component.HOSTING_SERVICE,
                        "/api/v1/certificates/" + certificateId + "/renew", null);
                if (r.statusCode() == 202) {
                    return true;
                }
                if (r.statusCode() != 502 && r.statusCode() != 503) {
                    out.println("bench soak: renewal of " + certificateId + " answered " + r.statusCode() + ": " + r.body());
                    return false;
                }
            } catch (DevstackException e) {
                if (!(e.getCause() instanceof ConnectException)) {
                    out.println("bench soak: renewal of " + certificateId + " unanswered: " + e.getMessage());
                    return false;
                }
            }
            ManagedProcess.sleep(1000);
        }
        return false;
    }

    /** Asks hosting-service to renew every certificate issued so far whose renewal was not asked yet. */
    private void renewIssued(StackConfig c, SoakLedger ledger, Set<String> asked, List<String> unrequested,
                             Instant deadline) {
        for (String certificateId : ledger.requested().keySet()) {
            if (ledger.firstSerial(certificateId).isPresent() && asked.add(certificateId)
                    && !renew(c, certificateId, deadline)) {
                unrequested.add(certificateId);
            }
        }
    }

    private static boolean renewalsSettled(SoakLedger ledger) {
        return ledger.requested().keySet().stream().filter(c -> ledger.firstSerial(c).isPresent())
                .allMatch(c -> ledger.renewalsDue().containsKey(c) || ledger.failed().containsKey(c));
    }

    // ---- the faults --------------------------------------------------------------------------------

    /** The faults, in the order they are injected: each service killed, then the infrastructure. */
    private static List<String> schedule(Options options) {
        List<String> schedule = new ArrayList<>();
        for (Component s : List.of(Component.ORDER_SERVICE, Component.VERIFICATION_SERVICE, Component.ISSUANCE_SERVICE,
                Component.HOSTING_SERVICE, Component.DEPLOYMENT_SERVICE)) {
            schedule.add("kill -9 " + s.id());
        }
        schedule.addAll(List.of("kafka down 20 s", "mongo restart", "bind down 10 s", "nginx down 10 s",
                "CA unreachable " + options.caOutage().toSeconds() + " s"));
        return schedule;
    }

    /**
     * Injects one fault and returns once it is over (the component ready again, the CA reachable); a component not
     * ready in time is reported as such and the run goes on (it is started again at the end if it died).
     */
    private Fault inject(GatedPlatform platform, String what, Options options) {
        Instant began = Instant.now();
        try {
            injectNow(platform.faults(), what, options);
        } catch (DevstackException e) {
            out.println("bench soak: fault " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
            return new Fault(what + " (not ready within the start timeout)", began, Instant.now());
        }
        Fault fault = new Fault(what, began, Instant.now());
        out.println("bench soak: fault " + what + " over after " + Duration.between(began, fault.ended()).toSeconds() + " s");
        return fault;
    }

    private void injectNow(Faults faults, String what, Options options) {
        if (what.startsWith("kill -9 ")) {
            faults.killAndRestart(Component.parse(what.substring("kill -9 ".length())));
        } else if (what.startsWith("kafka")) {
            faults.outage(Component.KAFKA, Duration.ofSeconds(20));
        } else if (what.startsWith("mongo")) {
            faults.restart(Component.MONGO);
        } else if (what.startsWith("bind")) {
            faults.outage(Component.BIND, Duration.ofSeconds(10));
        } else if (what.startsWith("nginx")) {
            faults.outage(Component.NGINX, Duration.ofSeconds(10));
        } else {
            faults.caUnreachable();
            try {
                ManagedProcess.sleep(options.caOutage().toMillis());
            } finally {
                faults.caReachable();
            }
        }
    }

    /** Whatever the schedule left down is started again. */
    private void bringEverythingBack(GatedPlatform platform) {
        platform.gate().reachable();
        for (Component c : Component.ALL) {
            if (!platform.faults().process(c).isRunning()) {
                out.println("bench soak: starting " + c.id() + " again after the schedule");
                platform.faults().start(c);
            }
        }
    }

    // ---- the report --------------------------------------------------------------------------------

    private String report(String commandLine, Options options, GatedPlatform platform, SoakLedger ledger,
                          List<Fault> faults, String deployed, List<String> unrequested, Duration total,
                          Duration working) {
        Map<String, List<String>> requested = ledger.requested();
        List<SoakLedger.Issued> issued = ledger.issued();
        long firsts = requested.keySet().stream().filter(c -> ledger.firstSerial(c).isPresent()).count();
        long renewed = issued.stream().filter(i -> i.replaces() != null).map(SoakLedger.Issued::attemptId).distinct().count();
        int extraOrders = 0;
        for (Map.Entry<String, List<String>> e : requested.entrySet()) {
            int expected = 1 + ledger.renewalsDue().getOrDefault(e.getKey(), Set.of()).size();
            extraOrders += Math.max(0, (int) platform.gate().createdOrders(e.getValue()) - expected);
        }
        long attemptsWithTwoEvents = issued.stream().collect(java.util.stream.Collectors.groupingBy(
                SoakLedger.Issued::attemptId, java.util.stream.Collectors.mapping(SoakLedger.Issued::eventId,
                        java.util.stream.Collectors.toSet()))).values().stream().filter(s -> s.size() > 1).count();
        long versionsDeployedTwice = ledger.deploymentJobsPerVersion().values().stream().filter(j -> j.size() > 1).count();
        List<String> lost = ledger.lost();

        StringBuilder r = new StringBuilder(BenchHome.heading(commandLine));
        r.append("Machine: ").append(Machine.describe()).append("\n\n");
        r.append(String.format(Locale.ROOT, "%d certificates bought in %d waves (and one deployed to nginx), each issued certificate"
                        + " renewed once, while %d faults were injected one after another; %.1f min in all, %.1f min of"
                        + " purchases, renewals and faults (bound %d min).%n%n",
                options.count(), faults.size(), faults.size(), total.toSeconds() / 60.0, working.toSeconds() / 60.0,
                options.bound().toMinutes()));
        r.append("| measure | value |\n|---|---|\n");
        r.append(row("certificates requested", requested.size()));
        r.append(row("first issuances (CertificateIssued)", firsts));
        r.append(row("renewals issued", renewed));
        r.append(row("IssuanceFailed (certificates)", ledger.failed().size()));
        r.append(row("**lost** (request or renewal without an outcome)", lost.size()));
        r.append(row("renewals hosting-service never took (API unreachable until the bound)", unrequested.size()));
        r.append(row("**duplicate ACME orders** (beyond one per request and renewal)", extraOrders));
        r.append(row("attempts with more than one CertificateIssued event", attemptsWithTwoEvents));
        r.append(row("versions deployed by more than one job", versionsDeployedTwice));
        r.append(row("deployment jobs of the nginx certificate " + deployed, ledger.deploymentJobsPerVersion().entrySet()
                .stream().filter(e -> e.getKey().startsWith(deployed + "/")).count() + " versions"));
        r.append(row("dead letters", ledger.deadLetters().values().stream().mapToInt(Integer::intValue).sum()));
        r.append("\n| fault | began | ready again after | next progress event after it |\n|---|---|---|---|\n");
        for (Fault f : faults) {
            Optional<Instant> next = ledger.progressAfter(f.ended());
            r.append(String.format(Locale.ROOT, "| %s | %s | %.1f s | %s |%n", f.what(), f.began(),
                    Duration.between(f.began(), f.ended()).toMillis() / 1000.0,
                    next.map(t -> String.format(Locale.ROOT, "%.1f s", Duration.between(f.ended(), t).toMillis() / 1000.0))
                            .orElse("none")));
        }
        if (!lost.isEmpty() || !ledger.failed().isEmpty()) {
            r.append("\nLost or failed (first 20):\n");
            lost.stream().limit(20).forEach(l -> r.append("- lost: ").append(l).append('\n'));
            ledger.failed().entrySet().stream().limit(20)
                    .forEach(e -> r.append("- failed: ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        }
        return r.toString();
    }

    private static String row(String what, Object value) {
        return "| " + what + " | " + value + " |\n";
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private static void awaitUntil(Instant deadline, BooleanSupplier done) {
        while (Instant.now().isBefore(deadline)) {
            try {
                if (done.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // a service is down (a fault): look again
            }
            ManagedProcess.sleep(1000);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(TimeUnit.MINUTES.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<JsonNode> optional(StackConfig c, Component service, String path) {
        HttpResponse<String> r = send(c, "GET", service, path, null);
        return r.statusCode() == 200 ? Optional.of(parse(r.body())) : Optional.empty();
    }

    private JsonNode call(StackConfig c, String method, Component service, String path, Object body) {
        HttpResponse<String> r = send(c, method, service, path, body);
        if (r.statusCode() / 100 != 2) {
            throw new DevstackException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    private HttpResponse<String> send(StackConfig c, String method, Component service, String path, Object body) {
        return api.send(c, method, service, path, body);
    }

    private JsonNode parse(String body) {
        return api.parse(body);
    }
}
