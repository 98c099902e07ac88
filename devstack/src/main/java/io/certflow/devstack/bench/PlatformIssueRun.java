package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.StackConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N purchases through the running platform, each as an upstream system and a domain owner would do it: buy
 * ({@code POST /api/v1/orders}), add the delegation CNAME that verification-service asks for (in the stack's
 * BIND), click Verify, and wait for the {@code CertificateIssued} event; with {@link Sites}, also register the
 * domain's nginx site as a resource and, once the certificate is issued, create and submit its deployment task, as
 * the console's wizard does, and wait for its {@code DeploymentCompleted}. Exists to measure the platform as its
 * users meet it: purchase→issued, verify→issued and purchase→deployed latencies, and certificates per second from
 * the first purchase to the last issuance.
 */
public final class PlatformIssueRun {

    private static final String CERTIFICATE_ISSUED = "certflow.certificate-issued";
    private static final String ISSUANCE_FAILED = "certflow.issuance-failed";
    private static final String DEPLOYMENT_COMPLETED = "certflow.deployment-completed";

    /** Where each domain is deployed: the settings of its site as a resource of {@code type}. */
    public interface Sites {
        String type();

        Map<String, String> resourceConfig(String domain);
    }

    private final StackConfig config;
    private final BindProcess bind;
    private final ServiceApi api = new ServiceApi();
    private final ObjectMapper json = new ObjectMapper();

    /** What one run measured. */
    public record Result(int requested, int issued, int failed, Duration wallClock, Latencies purchaseToIssued,
                         Latencies verifyToIssued, int deployed, Latencies purchaseToDeployed, List<String> failures,
                         int delegationReads, int verifyClicks) {
        public double perSecond() {
            return wallClock.isZero() ? 0 : issued / (wallClock.toMillis() / 1000.0);
        }
    }

    private final AtomicInteger delegationReads = new AtomicInteger();
    private final AtomicInteger verifyClicks = new AtomicInteger();

    public PlatformIssueRun(StackConfig config) {
        this.config = config;
        this.bind = new BindProcess(config);
    }

    /** {@code count} new single names in the stack's demo zone, unique to this run. */
    public static List<String> domains(int count) {
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        String zone = StackConfig.DEMO_ZONE.substring(0, StackConfig.DEMO_ZONE.length() - 1);
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            domains.add("b" + run + "-" + i + "." + zone);
        }
        return domains;
    }

    /**
     * Buys {@code count} single-domain certificates with {@code clients} upstream clients at once and waits
     * (at most {@code timeout}) for every one to be issued or to fail.
     */
    public Result run(int count, int clients, Duration timeout) {
        return run(domains(count), clients, 0, timeout, null);
    }

    /**
     * Buys a certificate for each domain with {@code clients} upstream clients and waits (at most {@code timeout})
     * for every one to be issued (and deployed, with {@code sites}) or to fail.
     *
     * @param perSecond purchases started per second (open loop, as independent buyers arrive), or 0: each client
     *                  buys again as soon as it is done
     * @param sites     where to deploy each certificate, or null not to deploy
     */
    public Result run(List<String> domains, int clients, double perSecond, Duration timeout, Sites sites) {
        int count = domains.size();
        Map<String, Instant> purchasedAt = new ConcurrentHashMap<>();
        Map<String, String> domainOf = new ConcurrentHashMap<>();
        Map<String, String> resourceOf = new ConcurrentHashMap<>();
        Map<String, Instant> deployedAt = new ConcurrentHashMap<>();
        ExecutorService deployments = Executors.newFixedThreadPool(4);
        Map<String, Instant> verifiedAt = new ConcurrentHashMap<>();
        Map<String, Instant> issuedAt = new ConcurrentHashMap<>();
        Map<String, String> failedWith = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch subscribed = new CountDownLatch(1);
        java.util.Set<String> deploying = ConcurrentHashMap.newKeySet();
        java.util.function.Consumer<String> onIssued = sites == null ? id -> { } : id -> deployments.submit(() ->
                deploy(id, resourceOf, issuedAt, deploying, failedWith));
        Thread listener = new Thread(() -> listen(issuedAt, deployedAt, failedWith, onIssued, stop, subscribed),
                "bench-events");
        listener.setDaemon(true);
        listener.start();
        try {
            if (!subscribed.await(60, TimeUnit.SECONDS)) {
                throw new DevstackException("the benchmark's consumer got no partitions of " + CERTIFICATE_ISSUED + " in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }

        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> purchases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String domain = domains.get(i);
            if (perSecond > 0) {
                long due = start.toEpochMilli() + Math.round(i * 1000 / perSecond);
                ManagedProcess.sleep(Math.max(0, due - System.currentTimeMillis()));
            }
            purchases.add(pool.submit(() -> {
                String id = purchase(domain, purchasedAt, verifiedAt, failedWith);
                if (id != null && sites != null) {
                    domainOf.put(id, domain);
                    resourceOf.put(id, register(domain, sites));
                    deployments.submit(() -> deploy(id, resourceOf, issuedAt, deploying, failedWith));
                }
            }));
        }
        pool.shutdown();
        for (Future<?> f : purchases) {
            try {
                f.get();
            } catch (Exception e) {
                throw new DevstackException("a purchase failed: " + e.getMessage(), e);
            }
        }
        Instant deadline = start.plus(timeout);
        while (Instant.now().isBefore(deadline) && done(purchasedAt, sites == null ? issuedAt : deployedAt, failedWith)
                < purchasedAt.size()) {
            ManagedProcess.sleep(200);
        }
        stop.set(true);
        deployments.shutdownNow();

        Latencies purchaseToIssued = new Latencies();
        Latencies verifyToIssued = new Latencies();
        Latencies purchaseToDeployed = new Latencies();
        purchasedAt.forEach((id, at) -> {
            Instant deployed = deployedAt.get(id);
            if (deployed != null) {
                purchaseToDeployed.add(Duration.between(at, deployed));
            }
        });
        Instant last = start;
        int issued = 0;
        for (Map.Entry<String, Instant> e : purchasedAt.entrySet()) {
            Instant at = issuedAt.get(e.getKey());
            if (at == null) {
                continue;
            }
            issued++;
            last = at.isAfter(last) ? at : last;
            purchaseToIssued.add(Duration.between(e.getValue(), at));
            Instant verified = verifiedAt.get(e.getKey());
            if (verified != null) {
                verifyToIssued.add(Duration.between(verified, at));
            }
        }
        List<String> failures = new ArrayList<>();
        purchasedAt.keySet().stream().filter(failedWith::containsKey)
                .forEach(id -> failures.add(id + ": " + failedWith.get(id)));
        int missing = (int) purchasedAt.keySet().stream()
                .filter(id -> !issuedAt.containsKey(id) && !failedWith.containsKey(id)).count();
        if (missing > 0) {
            failures.add(missing + " neither issued nor failed within " + timeout.toSeconds() + " s");
        }
        if (sites != null) {
            long undeployed = purchasedAt.keySet().stream()
                    .filter(id -> issuedAt.containsKey(id) && !deployedAt.containsKey(id) && !failedWith.containsKey(id))
                    .count();
            if (undeployed > 0) {
                failures.add(undeployed + " issued but not deployed within " + timeout.toSeconds() + " s");
            }
        }
        return new Result(count, issued, count - issued, Duration.between(start, last), purchaseToIssued,
                verifyToIssued, deployedAt.size(), purchaseToDeployed, failures, delegationReads.get(), verifyClicks.get());
    }

    private static int done(Map<String, Instant> purchased, Map<String, Instant> issued, Map<String, String> failed) {
        int n = 0;
        for (String id : purchased.keySet()) {
            if (issued.containsKey(id) || failed.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    /** Buys, delegates and verifies one domain; returns its certificateId, or null if it was not verified. */
    private String purchase(String domain, Map<String, Instant> purchasedAt, Map<String, Instant> verifiedAt,
                            Map<String, String> failedWith) {
        Instant t0 = Instant.now();
        JsonNode order = call("POST", Component.ORDER_SERVICE, "/api/v1/orders",
                Map.of("domains", List.of(domain), "product", "dv-single", "termYears", 1, "hosting", true), 201);
        String certificateId = order.path("certificateId").asText();
        purchasedAt.put(certificateId, t0);
        JsonNode delegation = awaitOk("GET", Component.VERIFICATION_SERVICE,
                "/api/v1/domains/" + enc(domain) + "/delegation", Duration.ofSeconds(60), delegationReads);
        bind.addCname(delegation.path("recordName").asText(), delegation.path("recordValue").asText());
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            verifyClicks.incrementAndGet();
            JsonNode v = call("POST", Component.VERIFICATION_SERVICE, "/api/v1/domains/" + enc(domain) + "/verify", null, 200);
            if (v.path("verified").asBoolean()) {
                verifiedAt.put(certificateId, Instant.now());
                return certificateId;
            }
            if (Instant.now().isAfter(deadline)) {
                failedWith.put(certificateId, "not verified: " + v.path("result").asText() + " " + v.path("detail").asText());
                return null;
            }
            ManagedProcess.sleep(200);
        }
    }

    /** Registers the domain's site as a resource, as a person does in the wizard; returns its id. */
    private String register(String domain, Sites sites) {
        JsonNode resource = call("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/resources",
                Map.of("type", sites.type(), "name", domain, "config", sites.resourceConfig(domain)), 201);
        return resource.path("resourceId").asText();
    }

    /**
     * Creates and submits the deployment task of an issued certificate whose resource is registered (called when
     * either happens; the second call does it, once). deployment-service learns of the certificate from the same
     * event the benchmark saw, so a task refused for a certificate it does not know yet is asked again.
     */
    private void deploy(String certificateId, Map<String, String> resourceOf, Map<String, Instant> issuedAt,
                        java.util.Set<String> deploying, Map<String, String> failedWith) {
        String resourceId = resourceOf.get(certificateId);
        if (resourceId == null || !issuedAt.containsKey(certificateId) || !deploying.add(certificateId)) {
            return;
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            HttpResponse<String> task = send("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks",
                    Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId)));
            if (task.statusCode() == 201) {
                String taskId = parse(task.body()).path("taskId").asText();
                call("POST", Component.DEPLOYMENT_SERVICE, "/api/v1/deployment-tasks/" + taskId + "/submit", null, 202);
                return;
            }
            if (task.statusCode() >= 500 || Instant.now().isAfter(deadline)) {
                failedWith.putIfAbsent(certificateId, "deployment task refused: " + task.statusCode() + " " + task.body());
                return;
            }
            ManagedProcess.sleep(100);
        }
    }

    private void listen(Map<String, Instant> issuedAt, Map<String, Instant> deployedAt, Map<String, String> failedWith,
                        java.util.function.Consumer<String> onIssued, AtomicBoolean stop, CountDownLatch subscribed) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "certflow-bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(CERTIFICATE_ISSUED, ISSUANCE_FAILED, DEPLOYMENT_COMPLETED));
            while (!stop.get()) {
                if (subscribed.getCount() > 0 && !consumer.assignment().isEmpty()) {
                    consumer.assignment().forEach(consumer::position); // fixes "latest" before the first purchase
                    subscribed.countDown();
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode event = json.readTree(r.value());
                        String id = event.path("certificateId").asText();
                        if (CERTIFICATE_ISSUED.equals(r.topic())) {
                            if (issuedAt.putIfAbsent(id, Instant.parse(event.path("occurredAt").asText())) == null) {
                                onIssued.accept(id);
                            }
                        } else if (DEPLOYMENT_COMPLETED.equals(r.topic())) {
                            if (event.path("succeeded").asBoolean()) {
                                deployedAt.putIfAbsent(id, Instant.parse(event.path("occurredAt").asText()));
                            } else {
                                failedWith.putIfAbsent(id, "deployment failed: " + event.path("results").toString());
                            }
                        } else if (!event.path("retryable").asBoolean()) {
                            failedWith.putIfAbsent(id, event.path("reason").asText());
                        }
                    } catch (IOException | RuntimeException e) {
                        // not an event of ours: the benchmark only counts what it can read
                    }
                }
            }
        }
    }

    private JsonNode awaitOk(String method, Component service, String path, Duration timeout, AtomicInteger calls) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            calls.incrementAndGet();
            HttpResponse<String> r = send(method, service, path, null);
            if (r.statusCode() == 200) {
                return parse(r.body());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new DevstackException(method + " " + path + " answered " + r.statusCode() + " for " + timeout.toSeconds() + " s");
            }
            ManagedProcess.sleep(100);
        }
    }

    private JsonNode call(String method, Component service, String path, Object body, int expected) {
        HttpResponse<String> r = send(method, service, path, body);
        if (r.statusCode() != expected) {
            throw new DevstackException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    private HttpResponse<String> send(String method, Component service, String path, Object body) {
        return api.send(config, method, service, path, body);
    }

    private JsonNode parse(String body) {
        return api.parse(body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
