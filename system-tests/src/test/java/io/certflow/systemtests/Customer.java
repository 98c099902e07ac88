package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.Component;
import io.certflow.devstack.NginxProcess;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;
import io.certflow.events.v1.PurchaseAccepted;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.testsupport.ApiClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a customer (and upstream billing) does to the platform in the fault tests, over the public APIs and the
 * purchase topic only: delegate a domain with a CNAME in BIND and verify it, buy, deploy to the demo nginx, renew,
 * and look at attempts, hosted certificates, deployment jobs and what nginx serves. Exists so that the fault tests
 * read as the faults they inject and the outcomes they check.
 */
final class Customer {

    private final PlatformUnderTest platform;
    private final StackConfig config;
    private String nginxResourceId;

    Customer(PlatformUnderTest platform) {
        this.platform = platform;
        this.config = platform.config();
    }

    /** A fresh name in the demo zone (BIND serves it). */
    static String newDomain(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
    }

    /** Adds the {@code _acme-challenge} CNAME the platform asks for in BIND and verifies the domain. */
    void delegate(String domain) {
        ApiClient verification = platform.api(Component.VERIFICATION_SERVICE);
        JsonNode delegation = verification.get("/api/v1/domains/" + domain + "/delegation", config.apiKey()).json(200);
        platform.infrastructure().bind().addCname(delegation.path("recordName").asText(),
                delegation.path("recordValue").asText());
        awaitValue("verification of " + domain, Duration.ofSeconds(60), () -> {
            JsonNode v = verification.post("/api/v1/domains/" + domain + "/verify", config.apiKey(), "").json(200);
            return v.path("verified").asBoolean() ? v : null;
        });
    }

    /** {@code POST /api/v1/orders} of a hosted certificate; returns its {@code certificateId}. */
    String order(List<String> domains) {
        return platform.api(Component.ORDER_SERVICE).post("/api/v1/orders", config.apiKey(), Map.of("domains", domains,
                "product", "dv-single", "termYears", 1, "hosting", true)).json(201).path("certificateId").asText();
    }

    /** Upstream billing publishes {@code PurchaseCompleted} (hosting on); returns the upstream order id. */
    String purchase(List<String> domains) {
        String orderId = "billing-" + UUID.randomUUID();
        platform.topics().publish(new PurchaseCompleted(UUID.randomUUID(), Instant.now(), config.accountId(), orderId,
                "dv-single", domains, 1, true));
        return orderId;
    }

    /** The certificate of an upstream order, from its {@code PurchaseAccepted}. */
    String certificateOfPurchase(String orderId, Duration timeout) {
        return platform.topics().await(PurchaseAccepted.class, a -> a.orderId().equals(orderId), timeout).certificateId();
    }

    /**
     * Registers the demo nginx (once), a deployment task of the certificate to it, and submits it; returns the job
     * id. The demo nginx serves {@link StackConfig#DEMO_DOMAIN}, so the certificate must name it.
     */
    String deployToNginx(String certificateId) {
        ApiClient deployment = platform.api(Component.DEPLOYMENT_SERVICE);
        if (nginxResourceId == null) {
            NginxProcess nginx = platform.infrastructure().nginx();
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("certificatePath", nginx.certificatePath().toString());
            resource.put("keyPath", nginx.keyPath().toString());
            resource.put("reloadCommand", nginx.reloadCommand());
            resource.put("tlsAddress", nginx.tlsAddress());
            resource.put("serverName", nginx.serverName());
            nginxResourceId = deployment.post("/api/v1/resources", config.apiKey(),
                    Map.of("type", "nginx", "name", "fault-nginx", "config", resource)).json(201).path("resourceId").asText();
        }
        String taskId = deployment.post("/api/v1/deployment-tasks", config.apiKey(),
                Map.of("certificateId", certificateId, "resourceIds", List.of(nginxResourceId))).json(201).path("taskId").asText();
        return deployment.post("/api/v1/deployment-tasks/" + taskId + "/submit", config.apiKey(), "").json(202)
                .path("jobId").asText();
    }

    /** {@code POST /renew} on hosting-service: a manual renewal now. */
    void renew(String certificateId) {
        platform.api(Component.HOSTING_SERVICE).post("/api/v1/certificates/" + certificateId + "/renew", config.apiKey(), "")
                .json(202);
    }

    /** Waits until hosting-service shows the certificate {@code HOSTED} with a serial matching; returns it. */
    String awaitHosted(String certificateId, Predicate<String> serial, Duration timeout) {
        return awaitValue(certificateId + " HOSTED", timeout, () -> {
            ApiClient.Response r = platform.api(Component.HOSTING_SERVICE).get("/api/v1/certificates/" + certificateId,
                    config.apiKey());
            if (r.status() != 200) {
                return null;
            }
            JsonNode c = r.json();
            String s = c.path("serialNumber").asText("");
            return "HOSTED".equals(c.path("status").asText()) && !s.isEmpty() && serial.test(TlsProbe.normalizeSerial(s))
                    ? TlsProbe.normalizeSerial(s) : null;
        });
    }

    /** Waits until a deployment job ends ({@code SUCCEEDED} or {@code FAILED}); returns it. */
    JsonNode awaitJobEnded(String jobId, Duration timeout) {
        return awaitValue("job " + jobId + " to end", timeout, () -> {
            JsonNode job = platform.api(Component.DEPLOYMENT_SERVICE).get("/api/v1/deployment-jobs/" + jobId,
                    config.apiKey()).json(200);
            String status = job.path("status").asText();
            return "SUCCEEDED".equals(status) || "FAILED".equals(status) ? job : null;
        });
    }

    /** The deployment jobs of a certificate, newest first. */
    List<JsonNode> jobs(String certificateId) {
        return items(platform.api(Component.DEPLOYMENT_SERVICE).get("/api/v1/deployment-jobs?certificateId=" + certificateId,
                config.apiKey()).json(200));
    }

    /** The issuance attempts of a certificate. */
    List<JsonNode> attempts(String certificateId) {
        return items(platform.api(Component.ISSUANCE_SERVICE).get("/api/v1/certificates/" + certificateId + "/attempts",
                config.apiKey()).json(200));
    }

    /** The serial the demo nginx serves now (lowercase hex, no leading zeros). */
    String servedSerial() {
        NginxProcess nginx = platform.infrastructure().nginx();
        return TlsProbe.normalizeSerial(TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName()));
    }

    /** Asserts that the demo nginx serves this serial. */
    void assertNginxServes(String serial) {
        assertThat(servedSerial()).as("the serial nginx serves for " + StackConfig.DEMO_DOMAIN)
                .isEqualTo(TlsProbe.normalizeSerial(serial));
    }

    private static List<JsonNode> items(JsonNode body) {
        List<JsonNode> items = new ArrayList<>();
        (body.isArray() ? body : body.path("items")).forEach(items::add);
        return items;
    }

    /** Polls until {@code probe} gives a value (a failed call counts as none yet); fails after {@code timeout}. */
    static <T> T awaitValue(String what, Duration timeout, Supplier<T> probe) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean sameSerial(String a, String b) {
        return Objects.equals(TlsProbe.normalizeSerial(a), TlsProbe.normalizeSerial(b));
    }
}
