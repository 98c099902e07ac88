package io.certflow.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.testing.FakeIssuanceService;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.testing.TestHaproxy;
import io.certflow.deployment.testing.TestNginx;
import io.certflow.deployment.tls.ServedCertificateReader;
import io.certflow.devstack.NginxProcess;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deployment-service end to end on real Kafka, the Mongo wire server and a real nginx, with issuance-service's
 * internal bundle endpoint played by an in-test HTTP server: submit deploys version A, the renewal B deploys by
 * itself, replayed events change nothing, a cancelled order stops inheritance.
 */
abstract class DeploymentServiceFlows {

    private static final String TOKEN = "issuance-internal-test-token";
    private static final String NAME = TestNginx.SERVER_NAME;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final TestCertificates.Issued INITIAL = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private static final TestCertificates.Issued A = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private static final TestCertificates.Issued B = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private static final TestCertificates.Issued C = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

    @TempDir
    static Path nginxDir;
    private static NginxProcess nginx;
    private static FakeIssuanceService issuance;
    private static TestHaproxy haproxy;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        nginx = TestNginx.start(nginxDir, INITIAL);
        issuance = new FakeIssuanceService(TOKEN);
        registry.add("certflow.deployment.issuance-url", issuance::url);
        registry.add("certflow.deployment.internal-token", () -> TOKEN);
        registry.add("certflow.deployment.jobs.poll-interval", () -> "200ms");
        registry.add("certflow.deployment.nginx.read-back-window", () -> "5s");
        registry.add("certflow.deployment.nginx.allowed-directories", () -> nginx.keyPath().getParent().toString());
        if (TestHaproxy.available()) {
            haproxy = TestHaproxy.start(nginxDir.resolve("haproxy"), INITIAL);
            registry.add("certflow.deployment.haproxy.allowed-directories", () -> haproxy.directory().toString());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (issuance != null) {
            issuance.close();
        }
        if (nginx != null) {
            nginx.stop();
        }
        if (haproxy != null) {
            haproxy.stop();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    TopicProbe topics;
    @Autowired
    IssuedCertificateRepository issuedCertificates;

    private final ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
    private ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.onPort(port);
    }

    @Test
    void deploysOnSubmitThenEveryRenewalByItselfExactlyOnce() throws Exception {
        String certificateId = "cert-" + UUID.randomUUID();
        issuance.put(certificateId, A);
        issuance.put(certificateId, B);
        issuance.put(certificateId, C);

        // version A is issued
        topics.publish(issued(certificateId, A, null, Instant.now().minusSeconds(60)));
        await("certificate known", () -> issuedCertificates.findById(certificateId).isPresent());

        // a resource: invalid settings are refused with what to fix
        api.post("/api/v1/resources", "key-a",
                Map.of("type", "nginx", "name", "broken", "config", Map.of("certificatePath", "relative.crt")))
                .assertProblem(400, "'keyPath' is required").assertProblem(400, "'certificatePath' must be an absolute path");
        Map<String, String> outside = new java.util.HashMap<>(TestNginx.resourceConfig(nginx, true));
        outside.put("keyPath", "/tmp/site.key");
        api.post("/api/v1/resources", "key-a", Map.of("type", "nginx", "name", "outside", "config", outside))
                .assertProblem(400, "'keyPath' must be in one of the allowed directories");
        api.post("/api/v1/resources", "key-a", Map.of("type", "ftp", "name", "x", "config", Map.of()))
                .assertProblem(400, "unknown resource type 'ftp'").assertProblem(400, "nginx");

        JsonNode created = api.post("/api/v1/resources", "key-a",
                Map.of("type", "nginx", "name", "demo-nginx", "config", TestNginx.resourceConfig(nginx, true))).json(201);
        String resourceId = created.path("resourceId").asText();
        assertThat(created.path("config").path("tlsAddress").asText()).isEqualTo(nginx.tlsAddress());
        assertThat(api.get("/api/v1/resources/" + resourceId, "key-b").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/resources", "key-a").json()).hasSize(1);
        assertThat(api.post("/api/v1/resources", "key-a",
                Map.of("type", "nginx", "name", "demo-nginx", "config", TestNginx.resourceConfig(nginx, true))).status())
                .isEqualTo(409);

        // a task: only for a certificate this account knows
        api.post("/api/v1/deployment-tasks", "key-a",
                Map.of("certificateId", "no-such-certificate", "resourceIds", List.of(resourceId)))
                .assertProblem(400, "unknown certificate 'no-such-certificate'");
        assertThat(api.post("/api/v1/deployment-tasks", "key-b",
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId))).status())
                .isEqualTo(400);
        JsonNode task = api.post("/api/v1/deployment-tasks", "key-a",
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId))).json(201);
        assertThat(task.path("succeededOnce").asBoolean()).isFalse();
        String taskId = task.path("taskId").asText();
        assertThat(api.get("/api/v1/deployment-tasks/" + taskId, "key-b").status()).isEqualTo(404);

        // preview: nginx serves the initial certificate, A would replace it and covers the server name
        JsonNode preview = api.get("/api/v1/deployment-tasks/" + taskId + "/preview", "key-a").json();
        assertThat(preview.path("newSerialNumber").asText()).isEqualTo(A.serialHex());
        JsonNode entry = preview.path("resources").get(0);
        assertThat(entry.path("resourceId").asText()).isEqualTo(resourceId);
        assertThat(entry.path("name").asText()).isEqualTo("demo-nginx");
        assertThat(entry.path("currentSerialNumber").asText()).isEqualTo(INITIAL.serialHex());
        assertThat(entry.path("newSerialNumber").asText()).isEqualTo(A.serialHex());
        assertThat(entry.path("domainsCovered").asBoolean()).isTrue();
        assertThat(entry.path("change").asText()).isEqualTo("REPLACE");

        // submit → a job that puts A on nginx
        JsonNode submitted = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", "key-a", null).json(202);
        assertThat(submitted.path("status").asText()).isEqualTo("PENDING");
        assertThat(submitted.path("serialNumber").asText()).isEqualTo(A.serialHex());
        String jobA = submitted.path("jobId").asText();

        JsonNode doneA = awaitJob(jobA, "SUCCEEDED");
        assertThat(doneA.path("trigger").asText()).isEqualTo("SUBMIT");
        assertThat(doneA.path("results").get(0).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(doneA.path("results").get(0).path("servedSerialNumber").asText()).isEqualTo(A.serialHex());
        assertThat(served()).isEqualTo(A.serialHex());
        DeploymentCompleted completedA = topics.await(DeploymentCompleted.class, e -> e.jobId().equals(jobA), WAIT);
        assertThat(completedA.succeeded()).isTrue();
        assertThat(completedA.trigger()).isEqualTo("SUBMIT");
        assertThat(completedA.serialNumber()).isEqualTo(A.serialHex());
        assertThat(completedA.results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("SUCCEEDED");
            assertThat(r.servedSerialNumber()).isEqualTo(A.serialHex());
            assertThat(r.targetType()).isEqualTo("nginx");
        });
        assertThat(api.get("/api/v1/deployment-tasks/" + taskId, "key-a").json()
                .path("succeededOnce").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/deployment-jobs/" + jobA, "key-b").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/deployment-tasks/" + taskId + "/preview", "key-a").json()
                .path("resources").get(0).path("change").asText()).isEqualTo("NONE");

        // version B (the renewal) is issued → deployed by itself
        topics.publish(issued(certificateId, B, A.serialHex(), Instant.now()));
        DeploymentCompleted completedB = topics.await(DeploymentCompleted.class,
                e -> e.certificateId().equals(certificateId) && e.serialNumber().equals(B.serialHex()), WAIT);
        assertThat(completedB.succeeded()).isTrue();
        assertThat(completedB.trigger()).isEqualTo("RENEWAL");
        assertThat(completedB.taskId()).isEqualTo(taskId);
        assertThat(served()).isEqualTo(B.serialHex());
        JsonNode jobs = api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, "key-a").json();
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).path("serialNumber").asText()).isEqualTo(B.serialHex());
        assertThat(jobs.get(0).path("trigger").asText()).isEqualTo("RENEWAL");
        assertThat(jobs.get(0).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(jobs.get(1).path("jobId").asText()).isEqualTo(jobA);
        assertThat(api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, "key-b").json()).isEmpty();

        // both CertificateIssued records replayed as they were, and B once more under a new event id
        assertThat(topics.republishAll(Topics.CERTIFICATE_ISSUED::equals)).isGreaterThanOrEqualTo(2);
        topics.publish(issued(certificateId, B, A.serialHex(), Instant.now()));
        awaitListenerCaughtUp();
        Thread.sleep(1500); // a few runner polls
        assertThat(api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, "key-a").json()).hasSize(2);
        assertThat(completions(certificateId)).hasSize(2);
        assertThat(served()).isEqualTo(B.serialHex());

        // no key material ever went onto the topic
        assertThat(topics.records(Topics.DEPLOYMENT_COMPLETED)).allSatisfy(r ->
                assertThat(r.value()).doesNotContain("PRIVATE KEY").doesNotContain(TOKEN));
        assertThat(issuance.rejected()).isZero();
        assertThat(issuance.served()).isEqualTo(2);

        // the order is cancelled → version C is not deployed
        topics.publish(new OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a", certificateId, "order-1",
                "customer asked", false));
        await("task stopped inheriting", () -> !api.get("/api/v1/deployment-tasks/" + taskId, "key-a")
                .json().path("inheriting").asBoolean());
        topics.publish(issued(certificateId, C, B.serialHex(), Instant.now().plusSeconds(60)));
        await("C recorded", () -> C.serialHex().equals(issuedCertificates.findById(certificateId).orElseThrow().getLatestSerialNumber()));
        Thread.sleep(1500);
        assertThat(api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, "key-a").json()).hasSize(2);
        assertThat(served()).isEqualTo(B.serialHex());
    }

    @Test
    void aJobWhoseBundleCannotBeHadFailsAndSaysWhy() {
        String certificateId = "cert-" + UUID.randomUUID();
        TestCertificates.Issued unknown = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        topics.publish(issued("account-b", certificateId, unknown, null, Instant.now()));
        await("certificate known", () -> issuedCertificates.findById(certificateId).isPresent());
        String resourceId = api.post("/api/v1/resources", "key-b",
                Map.of("type", "nginx", "name", "b-nginx", "config", TestNginx.resourceConfig(nginx, false))).json()
                .path("resourceId").asText();
        String taskId = api.post("/api/v1/deployment-tasks", "key-b",
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId))).json().path("taskId").asText();

        String jobId = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", "key-b", null).json()
                .path("jobId").asText();

        DeploymentCompleted completed = topics.await(DeploymentCompleted.class, e -> e.jobId().equals(jobId), WAIT);
        assertThat(completed.succeeded()).isFalse();
        JsonNode job = api.get("/api/v1/deployment-jobs/" + jobId, "key-b").json();
        assertThat(job.path("status").asText()).isEqualTo("FAILED");
        assertThat(job.path("message").asText()).contains("does not know the bundle");
        assertThat(api.get("/api/v1/deployment-tasks/" + taskId, "key-b").json()
                .path("succeededOnce").asBoolean()).isFalse();
    }

    @Test
    void anHaproxyResourceIsRegisteredCheckedAndPreviewed() {
        assumeTrue(haproxy != null, "haproxy is not installed");
        String certificateId = "cert-" + UUID.randomUUID();
        topics.publish(issued("account-b", certificateId, A, null, Instant.now()));
        await("certificate known", () -> issuedCertificates.findById(certificateId).isPresent());

        api.post("/api/v1/resources", "key-b",
                Map.of("type", "haproxy", "name", "broken", "config", Map.of("certificatePath", "relative.pem")))
                .assertProblem(400, "'adminSocket' is required").assertProblem(400, "'certificatePath' must be an absolute path");
        Map<String, String> outside = new java.util.HashMap<>(haproxy.resourceConfig());
        outside.put("certificatePath", nginx.keyPath().getParent().resolve("site.pem").toString());
        api.post("/api/v1/resources", "key-b", Map.of("type", "haproxy", "name", "outside", "config", outside))
                .assertProblem(400, "'certificatePath' must be in one of the allowed directories");
        api.post("/api/v1/resources", "key-b", Map.of("type", "ftp", "name", "x", "config", Map.of()))
                .assertProblem(400, "haproxy");

        JsonNode created = api.post("/api/v1/resources", "key-b",
                Map.of("type", "haproxy", "name", "b-haproxy", "config", haproxy.resourceConfig())).json(201);
        assertThat(created.path("type").asText()).isEqualTo("haproxy");
        assertThat(created.path("config").path("adminSocket").asText()).isEqualTo(haproxy.adminSocket().toString());
        String taskId = api.post("/api/v1/deployment-tasks", "key-b",
                Map.of("certificateId", certificateId, "resourceIds", List.of(created.path("resourceId").asText())))
                .json(201).path("taskId").asText();

        // the preview reads back over TLS what HAProxy serves now
        JsonNode entry = api.get("/api/v1/deployment-tasks/" + taskId + "/preview", "key-b").json()
                .path("resources").get(0);
        assertThat(entry.path("name").asText()).isEqualTo("b-haproxy");
        assertThat(entry.path("currentSerialNumber").asText()).isEqualTo(INITIAL.serialHex());
        assertThat(entry.path("newSerialNumber").asText()).isEqualTo(A.serialHex());
        assertThat(entry.path("domainsCovered").asBoolean()).isTrue();
        assertThat(entry.path("change").asText()).isEqualTo("REPLACE");
    }

    private List<DeploymentCompleted> completions(String certificateId) {
        return topics.all(DeploymentCompleted.class).stream().filter(e -> e.certificateId().equals(certificateId)).toList();
    }

    /** Publishes a marker on the same partition and waits for it: everything before it was consumed. */
    private void awaitListenerCaughtUp() {
        String marker = "marker-" + UUID.randomUUID();
        topics.publish(issued(marker, TestCertificates.leaf(TestCertificates.randomSerial(), "marker.test"), null, Instant.now()));
        await("marker consumed", () -> issuedCertificates.findById(marker).isPresent());
    }

    private String served() {
        return reader.read("127.0.0.1", nginx.port(), NAME).serialNumber().orElse("nothing");
    }

    private JsonNode awaitJob(String jobId, String status) {
        JsonNode[] last = new JsonNode[1];
        await("job " + jobId + " " + status, () -> {
            last[0] = api.get("/api/v1/deployment-jobs/" + jobId, "key-a").json();
            return status.equals(last[0].path("status").asText()) || "FAILED".equals(last[0].path("status").asText());
        });
        assertThat(last[0].path("status").asText()).as(last[0].toString()).isEqualTo(status);
        return last[0];
    }

    /** {@code notBefore} orders versions; {@code at} stands for it (and for the event time). */
    private static CertificateIssued issued(String certificateId, TestCertificates.Issued version, String replaces, Instant at) {
        return issued("account-a", certificateId, version, replaces, at);
    }

    private static CertificateIssued issued(String accountId, String certificateId, TestCertificates.Issued version,
                                            String replaces, Instant at) {
        try {
            String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(version.certificate().getEncoded()));
            return new CertificateIssued(UUID.randomUUID(), at, accountId, certificateId, "attempt-" + UUID.randomUUID(),
                    version.serialHex(), fingerprint, at,
                    version.certificate().getNotAfter().toInstant(), TestCertificates.names(version),
                    version.certificate().getIssuerX500Principal().getName(), version.chainPem(), replaces);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
