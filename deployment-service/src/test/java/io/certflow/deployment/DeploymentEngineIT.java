package io.certflow.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.testing.FakeIssuanceService;
import io.certflow.deployment.testing.ScriptedTarget;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployment engine around its targets, on real Kafka and the Mongo wire server, with a scripted cloud
 * ({@link ScriptedTarget}) so that each behaviour can be provoked: credentials sealed and never shown, discovery
 * into the inventory, coverage refusals, retries of passing failures, rollbacks and skips reported per resource,
 * and the bound on parallel work per target type.
 */
@ServiceIT
@Import(DeploymentEngineIT.Scripted.class)
class DeploymentEngineIT {

    private static final String TOKEN = "issuance-internal-test-token";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static FakeIssuanceService issuance;

    @TestConfiguration
    static class Scripted {
        @Bean
        ScriptedTarget scriptedTarget() {
            return new ScriptedTarget();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        issuance = new FakeIssuanceService(TOKEN);
        registry.add("certflow.deployment.issuance-url", issuance::url);
        registry.add("certflow.deployment.internal-token", () -> TOKEN);
        registry.add("certflow.deployment.jobs.poll-interval", () -> "200ms");
        registry.add("certflow.deployment.jobs.parallelism", () -> "2");
        registry.add("certflow.deployment.jobs.resource-backoff", () -> "100ms");
        registry.add("certflow.security.api-keys.key-inventory", () -> "account-inventory");
    }

    @AfterAll
    static void stop() {
        if (issuance != null) {
            issuance.close();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    TopicProbe topics;
    @Autowired
    ScriptedTarget cloud;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    IssuedCertificateRepository issuedCertificates;
    private ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.onPort(port);
        cloud.reset();
    }

    @Test
    void aCredentialIsCheckedSealedAndNeverShownBack() {
        api.post("/api/v1/target-credentials", "key-a", Map.of("type", "scripted", "settings", Map.of()))
                .assertProblem(400, "'region' is required").assertProblem(400, "secret 'apiKey' is required");
        api.post("/api/v1/target-credentials", "key-a", Map.of("type", "nginx", "secrets", Map.of("x", "y")))
                .assertProblem(400, "need no credential");
        api.post("/api/v1/target-credentials", "key-a", Map.of("type", "ftp")).assertProblem(400, "unknown resource type");

        ApiClient.Response created = api.post("/api/v1/target-credentials", "key-a", Map.of("type", "scripted",
                "name", "prod account", "settings", Map.of("region", "eu-1"), "secrets", Map.of("apiKey", ScriptedTarget.API_KEY)));
        JsonNode credential = created.json(201);
        String id = credential.path("credentialId").asText();
        assertThat(credential.path("secrets")).extracting(JsonNode::asText).containsExactly("apiKey");
        assertThat(credential.path("settings").path("region").asText()).isEqualTo("eu-1");
        assertThat(created.body()).doesNotContain(ScriptedTarget.API_KEY);
        assertThat(api.get("/api/v1/target-credentials", "key-a").body()).contains(id).doesNotContain(ScriptedTarget.API_KEY);
        assertThat(api.get("/api/v1/target-credentials/" + id, "key-a").body()).doesNotContain(ScriptedTarget.API_KEY);
        assertThat(api.get("/api/v1/target-credentials/" + id, "key-b").status()).isEqualTo(404);
        Document stored = mongo.getCollection("target_credentials").find(new Document("_id", id)).first();
        assertThat(stored.toJson()).as("sealed at rest").doesNotContain(ScriptedTarget.API_KEY).contains("envelope-aes256gcm-v1");

        assertThat(api.delete("/api/v1/target-credentials/" + id, "key-b").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/target-credentials/" + id, "key-a").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/target-credentials/" + id, "key-a").status()).isEqualTo(404);
    }

    @Test
    void discoveryFillsTheInventory_countsPerCloudService_andCoverageSaysWhichACertificateCanGoTo() {
        String certificateId = issuedCertificateOf("account-inventory", "shop.example", "*.shop.example");
        String credentialId = credential("key-inventory", ScriptedTarget.API_KEY);
        cloud.listing(List.of(
                new DiscoveredResource("cdn-1", "www", List.of("www.shop.example"), Map.of("zone", "z1")),
                new DiscoveredResource("cdn-2", "apex", List.of("shop.example"), Map.of("zone", "z1")),
                new DiscoveredResource("cdn-3", "deep", List.of("a.b.shop.example"), Map.of("zone", "z2")),
                new DiscoveredResource("cdn-4", "other", List.of("other.example", "www.shop.example"), Map.of("zone", "z3"))));

        JsonNode found = api.post("/api/v1/target-credentials/" + credentialId + "/discover", "key-inventory", "").json(200);
        assertThat(found.path("found").asInt()).isEqualTo(4);
        assertThat(found.path("added").asInt()).isEqualTo(4);

        JsonNode services = api.get("/api/v1/cloud-services?certificateId=" + certificateId, "key-inventory").json(200);
        JsonNode scripted = find(services, "type", "scripted");
        assertThat(scripted.path("displayName").asText()).isEqualTo("Scripted Cloud");
        assertThat(scripted.path("resources").asLong()).isEqualTo(4);
        assertThat(scripted.path("covered").asLong()).as("www and apex; not a.b (two labels), not other.example").isEqualTo(2);
        assertThat(find(services, "type", "nginx").path("resources").asLong()).isZero();

        JsonNode covered = api.get("/api/v1/resources?type=scripted&certificateId=" + certificateId + "&coveredOnly=true",
                "key-inventory").json(200);
        assertThat(covered).extracting(r -> r.path("name").asText()).containsExactly("apex", "www");
        JsonNode all = api.get("/api/v1/resources?certificateId=" + certificateId, "key-inventory").json(200);
        assertThat(find(all, "name", "other").path("coverage").path("uncovered")).extracting(JsonNode::asText)
                .containsExactly("other.example");

        cloud.listing(List.of(new DiscoveredResource("cdn-1", "www", List.of("www.shop.example"), Map.of("zone", "z9"))));
        JsonNode again = api.post("/api/v1/target-credentials/" + credentialId + "/discover", "key-inventory", "").json(200);
        assertThat(again.path("updated").asInt()).isEqualTo(1);
        assertThat(again.path("missing").asInt()).isEqualTo(3);
        JsonNode www = find(again.path("resources"), "name", "www");
        assertThat(www.path("config").path("zone").asText()).isEqualTo("z9");
        assertThat(www.has("missingSince")).isFalse();
        assertThat(find(again.path("resources"), "name", "apex").has("missingSince")).isTrue();

        String wrong = credential("key-inventory", "not-the-key");
        api.post("/api/v1/target-credentials/" + wrong + "/discover", "key-inventory", "").assertProblem(502, "refused the access key");
        assertThat(api.get("/api/v1/target-credentials/" + wrong, "key-inventory").json().path("lastDiscoveryError").asText())
                .contains("refused");
        api.post("/api/v1/target-credentials/" + credentialId + "/discover", "key-a", "").assertProblem(404, "");
        api.delete("/api/v1/target-credentials/" + credentialId, "key-inventory").assertProblem(409, "used by 4 resource(s)");
    }

    @Test
    void aTaskRefusesAResourceTheCertificateDoesNotCover_andItsResourcesCanChangeLater() {
        String certificateId = issuedCertificate("refuse.example");
        String credentialId = credential(ScriptedTarget.API_KEY);
        String good = resource(credentialId, "refuse-good", "refuse.example");
        String bad = resource(credentialId, "refuse-bad", "elsewhere.example");

        api.post("/api/v1/deployment-tasks", "key-a", Map.of("certificateId", certificateId, "resourceIds", List.of(good, bad)))
                .assertProblem(400, "cannot go to refuse-bad-")
                .assertProblem(400, ": it serves elsewhere.example, which the certificate (refuse.example) does not cover");
        JsonNode task = api.post("/api/v1/deployment-tasks", "key-a",
                Map.of("certificateId", certificateId, "resourceIds", List.of(good))).json(201);
        String taskId = task.path("taskId").asText();
        assertThat(task.path("onFailure").asText()).isEqualTo("CONTINUE");

        api.put("/api/v1/deployment-tasks/" + taskId + "/resources", "key-a", Map.of("resourceIds", List.of(good, bad)))
                .assertProblem(400, "refuse-bad");
        String second = resource(credentialId, "refuse-second", "refuse.example");
        JsonNode updated = api.put("/api/v1/deployment-tasks/" + taskId + "/resources", "key-a",
                Map.of("resourceIds", List.of(good, second), "onFailure", "STOP")).json(200);
        assertThat(updated.path("resourceIds")).extracting(JsonNode::asText).containsExactly(good, second);
        assertThat(updated.path("onFailure").asText()).isEqualTo("STOP");
        api.put("/api/v1/deployment-tasks/" + taskId + "/resources", "key-b", Map.of("resourceIds", List.of(good)))
                .assertProblem(404, "");

        api.delete("/api/v1/resources/" + second, "key-a").assertProblem(409, taskId);
        assertThat(api.delete("/api/v1/resources/" + bad, "key-b").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/resources/" + bad, "key-a").status()).as("in no task").isEqualTo(204);
        assertThat(api.get("/api/v1/deployment-tasks?certificateId=" + certificateId, "key-a").json(200))
                .extracting(t -> t.path("taskId").asText()).containsExactly(taskId);

        JsonNode preview = api.get("/api/v1/deployment-tasks/" + taskId + "/preview", "key-a").json(200);
        assertThat(preview.path("resources")).allSatisfy(r -> {
            assertThat(r.path("domainsCovered").asBoolean()).isTrue();
            assertThat(r.path("hostNames")).extracting(JsonNode::asText).containsExactly("refuse.example");
            assertThat(r.path("type").asText()).isEqualTo("scripted");
        });
    }

    @Test
    void passingFailuresAreRetried_rollbacksAndSkipsAreReportedPerResource() {
        String certificateId = issuedCertificate("jobs.example");
        String credentialId = credential(ScriptedTarget.API_KEY);
        String flaky = resource(credentialId, "flaky", "jobs.example");
        String rolled = resource(credentialId, "rolled", "jobs.example");
        cloud.script("flaky", b -> DeploymentOutcome.unreachable("connection refused"),
                b -> DeploymentOutcome.unreachable("connection refused"));
        cloud.script("rolled", b -> DeploymentOutcome.rolledBack("0abc", "the new certificate was not served; 0abc is served again"));

        DeploymentCompleted done = submitAndAwait(certificateId, List.of(flaky, rolled), null);

        assertThat(done.succeeded()).isFalse();
        DeploymentCompleted.ResourceResult flakyResult = result(done, flaky);
        assertThat(flakyResult.outcome()).isEqualTo("DEPLOYED");
        assertThat(flakyResult.attempts()).isEqualTo(3);
        assertThat(flakyResult.status()).isEqualTo("SUCCEEDED");
        DeploymentCompleted.ResourceResult rolledResult = result(done, rolled);
        assertThat(rolledResult.outcome()).isEqualTo("ROLLED_BACK");
        assertThat(rolledResult.servedSerialNumber()).isEqualTo("0abc");
        assertThat(rolledResult.attempts()).as("a rollback is not retried").isEqualTo(1);
        assertThat(cloud.accessSeen()).as("each deploy got the credential, opened").containsOnly(ScriptedTarget.API_KEY);

        String first = resource(credentialId, "stop-first", "jobs.example");
        String later = resource(credentialId, "stop-later", "jobs.example");
        cloud.script("stop-first", b -> DeploymentOutcome.failed(null, "quota exceeded", null));
        cloud.deployTakes(0);
        DeploymentCompleted stopped = submitAndAwait(certificateId, List.of(first, later), "STOP");
        assertThat(result(stopped, first).outcome()).isEqualTo("FAILED");
        assertThat(result(stopped, later).outcome()).isEqualTo("SKIPPED");
        assertThat(result(stopped, later).message()).contains("stops at its first failure").contains("quota exceeded");
        assertThat(cloud.attempts("stop-later")).isZero();
    }

    @Test
    void atMostTheConfiguredNumberOfResourcesOfOneTypeAreDeployedAtOnce() {
        String certificateId = issuedCertificate("many.example");
        String credentialId = credential(ScriptedTarget.API_KEY);
        List<String> ids = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> resource(credentialId, "many-" + i, "many.example")).toList();
        cloud.deployTakes(300);

        DeploymentCompleted done = submitAndAwait(certificateId, ids, null);

        assertThat(done.succeeded()).isTrue();
        assertThat(done.results()).hasSize(6).allSatisfy(r -> assertThat(r.outcome()).isEqualTo("DEPLOYED"));
        assertThat(cloud.mostAtOnce()).as("parallelism 2 per type").isEqualTo(2);
    }

    private DeploymentCompleted submitAndAwait(String certificateId, List<String> resourceIds, String onFailure) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("certificateId", certificateId, "resourceIds", resourceIds));
        if (onFailure != null) {
            body.put("onFailure", onFailure);
        }
        String taskId = api.post("/api/v1/deployment-tasks", "key-a", body).json(201).path("taskId").asText();
        String jobId = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", "key-a", "").json(202).path("jobId").asText();
        return topics.await(DeploymentCompleted.class, e -> e.jobId().equals(jobId), WAIT);
    }

    private static DeploymentCompleted.ResourceResult result(DeploymentCompleted done, String resourceId) {
        return done.results().stream().filter(r -> r.resourceId().equals(resourceId)).findFirst().orElseThrow();
    }

    private String credential(String apiKey) {
        return credential("key-a", apiKey);
    }

    private String credential(String callerKey, String apiKey) {
        return api.post("/api/v1/target-credentials", callerKey, Map.of("type", "scripted", "settings", Map.of("region", "eu-1"),
                "secrets", Map.of("apiKey", apiKey))).json(201).path("credentialId").asText();
    }

    private String resource(String credentialId, String name, String domain) {
        return api.post("/api/v1/resources", "key-a", Map.of("type", "scripted", "name", name + "-" + UUID.randomUUID(),
                "config", Map.of("zone", "z"), "credentialId", credentialId, "domains", List.of(domain)))
                .json(201).path("resourceId").asText();
    }

    /** A certificate issued for {@code names}, known to deployment-service, whose bundle the fake issuance serves. */
    private String issuedCertificate(String... names) {
        return issuedCertificateOf("account-a", names);
    }

    private String issuedCertificateOf(String accountId, String... names) {
        String certificateId = "cert-" + UUID.randomUUID();
        TestCertificates.Issued version = TestCertificates.leaf(TestCertificates.randomSerial(), names);
        issuance.put(certificateId, version);
        Instant at = Instant.now().minusSeconds(60);
        try {
            String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(version.certificate().getEncoded()));
            topics.publish(new CertificateIssued(UUID.randomUUID(), at, accountId, certificateId, "attempt-1",
                    version.serialHex(), fingerprint, at, version.certificate().getNotAfter().toInstant(),
                    TestCertificates.names(version), version.certificate().getIssuerX500Principal().getName(),
                    version.chainPem(), null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(WAIT).until(() -> issuedCertificates.findById(certificateId).isPresent());
        return certificateId;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.path(field).asText().startsWith(value)) {
                return node;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
