package io.certflow.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.deployment.metrics.DeploymentMetrics;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.certflow.deployment.testing.FakeIssuanceService;
import io.certflow.deployment.testing.ScriptedTarget;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.persistence.AccountMaintenance;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.EventType;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final Duration WINDOW_LEFT = Duration.ofSeconds(30);
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
        TestApiKeys.ownerKey(TestApiKeys.KEY_INVENTORY, "account-inventory").forEach((k, v) -> registry.add(k, () -> v));
        TestApiKeys.ownerKey(TestApiKeys.KEY_WINDOWS, "account-windows").forEach((k, v) -> registry.add(k, () -> v));
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
    @Autowired
    MeterRegistry meters;
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
                .assertProblem(400, "a local nginx takes no secrets");
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
        double failedBefore = failedSubmits();
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
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(failedSubmits())
                .as("both failed jobs counted for the deployment-failing alert").isGreaterThanOrEqualTo(failedBefore + 2));
    }

    private double failedSubmits() {
        return meters.get(DeploymentMetrics.JOBS_FINISHED).tag("status", "failed").tag("trigger", "submit").counter().count();
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

    @Test
    void aRenewalInsideAMaintenanceWindowStartsWhenItEnds_outsideItAtOnce_aSubmitIsNotHeld_aRemovedWindowLetsGo() {
        String account = "account-windows";
        String key = "key-windows";
        // a window around now, to the second, every day (UTC); it ends WINDOW_LEFT from now
        Instant now = Instant.now();
        Instant windowEnd = now.plus(WINDOW_LEFT).truncatedTo(ChronoUnit.SECONDS);
        MaintenanceWindow aroundNow = new MaintenanceWindow(List.of(DayOfWeek.values()),
                LocalTime.ofInstant(now.minusSeconds(120), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
                LocalTime.ofInstant(windowEnd, ZoneOffset.UTC), "UTC");
        topics.publish(new MaintenanceWindowsChanged(UUID.randomUUID(), now, account, List.of(aroundNow), 2L));
        // revision 1, delivered late, is ignored: it would hold all day
        MaintenanceWindowsChanged older = new MaintenanceWindowsChanged(UUID.randomUUID(), now.minusSeconds(3600), account,
                List.of(new MaintenanceWindow(List.of(DayOfWeek.values()), LocalTime.MIN, LocalTime.of(23, 59), "UTC")), 1L);
        topics.publish(older);
        await().atMost(WAIT).until(() -> Optional.ofNullable(mongo.findById(account, AccountMaintenance.class))
                .filter(m -> m.hasApplied(older.eventId())).isPresent());
        AccountMaintenance kept = mongo.findById(account, AccountMaintenance.class);
        assertThat(kept.getRevision()).isEqualTo(2);
        assertThat(kept.getWindows()).containsExactly(aroundNow);

        // a person's submit inside the window runs at once
        String certificateId = "cert-" + UUID.randomUUID();
        issue(account, certificateId, Instant.now().minusSeconds(60), "windows.example");
        String credentialId = credential(key, ScriptedTarget.API_KEY);
        String resourceId = resource(key, credentialId, "windows", "windows.example");
        String taskId = api.post("/api/v1/deployment-tasks", key, Map.of("certificateId", certificateId,
                "resourceIds", List.of(resourceId))).json(201).path("taskId").asText();
        String submitted = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", key, "").json(202).path("jobId").asText();
        DeploymentCompleted first = topics.await(DeploymentCompleted.class, e -> e.jobId().equals(submitted), WAIT);
        assertThat(first.succeeded()).isTrue();
        assertThat(first.occurredAt()).as("a submit is not held").isBefore(windowEnd);
        assertThat(api.get("/api/v1/deployment-jobs/" + submitted, key).json(200).has("notBefore")).isFalse();

        // the renewal issued inside the window waits for its end, and says so
        String renewed = issue(account, certificateId, Instant.now(), "windows.example");
        JsonNode held = awaitJobOf(key, certificateId, renewed);
        assertThat(held.path("trigger").asText()).isEqualTo("RENEWAL");
        assertThat(held.path("status").asText()).isEqualTo("PENDING");
        assertThat(Instant.parse(held.path("notBefore").asText())).isEqualTo(windowEnd);
        assertThat(held.path("notBeforeReason").asText()).isEqualTo("inside the maintenance window every day "
                + aroundNow.start() + "–" + aroundNow.end() + " UTC: starts at " + windowEnd);
        String renewalJob = held.path("jobId").asText();
        DeploymentCompleted second = topics.await(DeploymentCompleted.class, e -> e.jobId().equals(renewalJob),
                WAIT.plus(WINDOW_LEFT));
        assertThat(second.succeeded()).isTrue();
        assertThat(Instant.parse(api.get("/api/v1/deployment-jobs/" + renewalJob, key).json(200).path("startedAt").asText()))
                .as("started after the window").isAfterOrEqualTo(windowEnd);

        // outside the window the next renewal starts at once
        String next = issue(account, certificateId, Instant.now().plusSeconds(1), "windows.example");
        JsonNode atOnce = awaitJobOf(key, certificateId, next);
        assertThat(atOnce.has("notBefore")).isFalse();
        String nextJob = atOnce.path("jobId").asText();
        assertThat(topics.await(DeploymentCompleted.class, e -> e.jobId().equals(nextJob), WAIT).succeeded()).isTrue();

        // a renewal held by a window is let go at once when the window is removed
        Instant later = Instant.now();
        MaintenanceWindow again = new MaintenanceWindow(List.of(DayOfWeek.values()),
                LocalTime.ofInstant(later.minusSeconds(120), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
                LocalTime.ofInstant(later.plus(Duration.ofMinutes(10)), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS), "UTC");
        topics.publish(new MaintenanceWindowsChanged(UUID.randomUUID(), later, account, List.of(again), 3L));
        await().atMost(WAIT).until(() -> mongo.findById(account, AccountMaintenance.class).getRevision() == 3);
        String fourth = issue(account, certificateId, Instant.now().plusSeconds(2), "windows.example");
        JsonNode heldAgain = awaitJobOf(key, certificateId, fourth);
        assertThat(heldAgain.has("notBefore")).isTrue();
        topics.publish(new MaintenanceWindowsChanged(UUID.randomUUID(), Instant.now(), account, List.of(), 4L));
        String fourthJob = heldAgain.path("jobId").asText();
        assertThat(topics.await(DeploymentCompleted.class, e -> e.jobId().equals(fourthJob), WAIT).succeeded()).isTrue();
        assertThat(api.get("/api/v1/deployment-jobs/" + fourthJob, key).json(200).has("notBefore")).isFalse();

        // windows that cannot be read go to the dead-letter topic, and the kept ones stay
        String badZone = EventJson.write(new MaintenanceWindowsChanged(UUID.randomUUID(), Instant.now(), account,
                List.of(), 5L)).replace("\"windows\":[]", "\"windows\":[{\"days\":[\"MONDAY\"],\"start\":\"01:00:00\","
                + "\"end\":\"02:00:00\",\"timeZone\":\"Mars/Olympus\"}]");
        topics.publishRaw(Topics.MAINTENANCE_WINDOWS_CHANGED, account, badZone, Map.of(CloudEventHeaders.TYPE,
                EventType.MAINTENANCE_WINDOWS_CHANGED.ceType(), CloudEventHeaders.ID, UUID.randomUUID().toString()));
        ConsumerRecord<String, String> dead = topics.awaitDeadLetters(Topics.MAINTENANCE_WINDOWS_CHANGED, 1, WAIT).get(0);
        assertThat(TopicProbe.header(dead, "certflow_dlt-reason")).contains("Mars/Olympus");
        assertThat(mongo.findById(account, AccountMaintenance.class).getRevision()).isEqualTo(4);
    }

    @Test
    void aResubmitIsANewJobWithItsOwnOutcome_whileAReplayedIssueMakesNoSecondRenewalJob() {
        String certificateId = "cert-" + UUID.randomUUID();
        issue("account-a", certificateId, Instant.now().minusSeconds(60), "rerun.example");
        String credentialId = credential(ScriptedTarget.API_KEY);
        String resourceId = resource(credentialId, "rerun", "rerun.example");
        String taskId = api.post("/api/v1/deployment-tasks", "key-a", Map.of("certificateId", certificateId,
                "resourceIds", List.of(resourceId))).json(201).path("taskId").asText();
        cloud.deployTakes(1500);

        String firstId = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", "key-a", "").json(202).path("jobId").asText();
        assertThat(api.post("/api/v1/deployment-tasks/" + taskId + "/submit", "key-a", "").json(202).path("jobId").asText())
                .as("submitted again while it waits or runs: the same job").isEqualTo(firstId);
        DeploymentCompleted firstDone = topics.await(DeploymentCompleted.class, e -> e.jobId().equals(firstId), WAIT);
        JsonNode firstJob = api.get("/api/v1/deployment-jobs/" + firstId, "key-a").json(200);
        cloud.deployTakes(0);

        JsonNode again = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", "key-a", "").json(202);
        String secondId = again.path("jobId").asText();
        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(again.path("status").asText()).isEqualTo("PENDING");
        DeploymentCompleted secondDone = topics.await(DeploymentCompleted.class, e -> e.jobId().equals(secondId), WAIT);

        assertThat(secondDone.eventId()).isNotEqualTo(firstDone.eventId());
        assertThat(secondDone.succeeded()).isTrue();
        assertThat(secondDone.trigger()).isEqualTo("SUBMIT");
        JsonNode secondJob = api.get("/api/v1/deployment-jobs/" + secondId, "key-a").json(200);
        assertThat(secondJob.path("rerunOf").asText()).isEqualTo(firstId);
        assertThat(Instant.parse(secondJob.path("createdAt").asText()))
                .isAfter(Instant.parse(firstJob.path("finishedAt").asText()));
        assertThat(api.get("/api/v1/deployment-jobs/" + firstId, "key-a").json(200)).as("the first run is left as it was")
                .isEqualTo(firstJob);
        assertThat(topics.all(DeploymentCompleted.class)).filteredOn(e -> e.certificateId().equals(certificateId))
                .extracting(DeploymentCompleted::jobId).containsExactlyInAnyOrder(firstId, secondId);

        // a new version: one RENEWAL job, however often its CertificateIssued comes
        String serial = issue("account-a", certificateId, Instant.now(), "rerun.example");
        DeploymentCompleted renewal = topics.await(DeploymentCompleted.class,
                e -> e.certificateId().equals(certificateId) && e.serialNumber().equals(serial), WAIT);
        assertThat(renewal.trigger()).isEqualTo("RENEWAL");
        CertificateIssued announced = topics.all(CertificateIssued.class).stream()
                .filter(e -> e.serialNumber().equals(serial)).findFirst().orElseThrow();
        topics.publish(announced);
        topics.publish(new CertificateIssued(UUID.randomUUID(), announced.occurredAt(), announced.accountId(),
                announced.certificateId(), announced.attemptId(), announced.serialNumber(), announced.fingerprintSha256(),
                announced.notBefore(), announced.notAfter(), announced.domains(), announced.issuer(), announced.certificateChainPem(),
                announced.replacesSerialNumber()));
        String marker = issuedCertificate("marker.example");
        assertThat(issuedCertificates.findById(marker)).isPresent();
        await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
        JsonNode jobs = api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, "key-a").json(200);
        assertThat(jobs).extracting(j -> j.path("trigger").asText()).containsExactly("RENEWAL", "SUBMIT", "SUBMIT");
        assertThat(jobs.get(1).path("jobId").asText()).isEqualTo(secondId);
    }

    /** Waits for the job of {@code serial} among the certificate's jobs. */
    private JsonNode awaitJobOf(String key, String certificateId, String serial) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            for (JsonNode job : api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, key).json(200)) {
                if (job.path("serialNumber").asText().equals(serial)) {
                    found[0] = job;
                    return true;
                }
            }
            return false;
        });
        return found[0];
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
        return resource("key-a", credentialId, name, domain);
    }

    private String resource(String callerKey, String credentialId, String name, String domain) {
        return api.post("/api/v1/resources", callerKey, Map.of("type", "scripted", "name", name + "-" + UUID.randomUUID(),
                "config", Map.of("zone", "z"), "credentialId", credentialId, "domains", List.of(domain)))
                .json(201).path("resourceId").asText();
    }

    /** A certificate issued for {@code names}, known to deployment-service, whose bundle the fake issuance serves. */
    private String issuedCertificate(String... names) {
        return issuedCertificateOf("account-a", names);
    }

    private String issuedCertificateOf(String accountId, String... names) {
        String certificateId = "cert-" + UUID.randomUUID();
        issue(accountId, certificateId, Instant.now().minusSeconds(60), names);
        return certificateId;
    }

    /**
     * A new version of {@code certificateId} for {@code names}, valid from {@code at} (later versions are newer),
     * announced and known to deployment-service, whose bundle the fake issuance serves.
     *
     * @return its serial number
     */
    private String issue(String accountId, String certificateId, Instant at, String... names) {
        TestCertificates.Issued version = TestCertificates.leaf(TestCertificates.randomSerial(), names);
        issuance.put(certificateId, version);
        try {
            String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(version.certificate().getEncoded()));
            topics.publish(new CertificateIssued(UUID.randomUUID(), at, accountId, certificateId, "attempt-" + UUID.randomUUID(),
                    version.serialHex(), fingerprint, at, version.certificate().getNotAfter().toInstant(),
                    TestCertificates.names(version), version.certificate().getIssuerX500Principal().getName(),
                    version.chainPem(), null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(WAIT).until(() -> issuedCertificates.findById(certificateId)
                .filter(c -> version.serialHex().equals(c.getLatestSerialNumber())).isPresent());
        return version.serialHex();
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
