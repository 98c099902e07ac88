package io.certflow.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.testing.FakeIssuanceService;
import io.certflow.deployment.testing.ScriptedTarget;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.testsupport.AccountIsolation;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

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
 * Account B never sees or touches account A's target credentials, resources, deployment tasks or jobs: every
 * endpoint that names one answers B with a 404 that shows nothing of A's (and deletes, discovers, changes or
 * submits nothing), B cannot use A's ids in its own tasks and resources, B's lists leave A's things out, A's
 * read-only key only reads and an operator reads A's things only when it names account A. Runs on the set-up of
 * {@link DeploymentEngineIT} (the scripted cloud, a fake issuance-service).
 */
@ServiceIT
@Import(DeploymentEngineIT.Scripted.class)
class AccountIsolationIT {

    private static final String TOKEN = "issuance-internal-test-token";
    private static final String OWN_DOMAIN = "isolated-deployment.example";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static FakeIssuanceService issuance;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        issuance = new FakeIssuanceService(TOKEN);
        registry.add("certflow.deployment.issuance-url", issuance::url);
        registry.add("certflow.deployment.internal-token", () -> TOKEN);
        registry.add("certflow.deployment.jobs.poll-interval", () -> "200ms");
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
    IssuedCertificateRepository issuedCertificates;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private ApiClient api;
    private String certificateId;
    private String credentialId;
    private String resourceName;
    private String resourceId;
    private String taskId;
    private String jobId;

    /** Account A's certificate, credential, resource, task, and the job that deployed it. */
    @BeforeEach
    void accountAHasDeployedACertificate() throws Exception {
        api = ApiClient.onPort(port);
        certificateId = issuedCertificate("account-a");
        credentialId = api.post("/api/v1/target-credentials", TestApiKeys.KEY_A, Map.of("type", "scripted",
                "name", "a-cloud", "settings", Map.of("region", "eu-1"), "secrets", Map.of("apiKey", ScriptedTarget.API_KEY)))
                .json(201).path("credentialId").asText();
        resourceName = "a-site-" + UUID.randomUUID();
        resourceId = resource(TestApiKeys.KEY_A, credentialId, resourceName);
        taskId = api.post("/api/v1/deployment-tasks", TestApiKeys.KEY_A,
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId))).json(201).path("taskId").asText();
        jobId = api.post("/api/v1/deployment-tasks/" + taskId + "/submit", TestApiKeys.KEY_A, "").json(202)
                .path("jobId").asText();
        topics.await(DeploymentCompleted.class, e -> e.jobId().equals(jobId), WAIT);
    }

    private AccountIsolation table() {
        String credential = "/api/v1/target-credentials/" + credentialId;
        String resource = "/api/v1/resources/" + resourceId;
        String task = "/api/v1/deployment-tasks/" + taskId;
        return new AccountIsolation()
                .call("GET", "/api/v1/target-credentials/{credentialId}", credential)
                .call("POST", "/api/v1/target-credentials/{credentialId}/discover", credential + "/discover")
                .call("DELETE", "/api/v1/target-credentials/{credentialId}", credential)
                .call("GET", "/api/v1/resources/{resourceId}", resource)
                .call("DELETE", "/api/v1/resources/{resourceId}", resource)
                .call("GET", "/api/v1/deployment-tasks/{taskId}", task)
                .call("GET", "/api/v1/deployment-tasks/{taskId}/preview", task + "/preview")
                .call("PUT", "/api/v1/deployment-tasks/{taskId}/resources", task + "/resources",
                        Map.of("resourceIds", List.of(resourceId), "onFailure", "STOP"))
                .call("POST", "/api/v1/deployment-tasks/{taskId}/submit", task + "/submit")
                .call("GET", "/api/v1/deployment-jobs/{jobId}", "/api/v1/deployment-jobs/" + jobId);
    }

    @Test
    void theTableCoversEveryEndpointThatNamesACredentialResourceTaskOrJob() {
        table().assertCoversEveryApiMappingWithAPathVariable(mappings);
    }

    @Test
    void anotherAccountGets404OnEveryEndpointAndChangesNothing() {
        AccountIsolation table = table();

        table.assertEachIsNotFoundFor(api, TestApiKeys.KEY_B, "account-a", OWN_DOMAIN, resourceName, "a-cloud",
                "eu-1", ScriptedTarget.API_KEY, certificateId);

        table.assertOwnerReadsEach(api, TestApiKeys.KEY_A);
        JsonNode task = api.get("/api/v1/deployment-tasks/" + taskId, TestApiKeys.KEY_A).json(200);
        assertThat(task.path("onFailure").asText()).as("not changed by B").isEqualTo("CONTINUE");
        assertThat(api.get("/api/v1/deployment-jobs?certificateId=" + certificateId, TestApiKeys.KEY_A).json(200))
                .as("no job submitted by B").extracting(j -> j.path("jobId").asText()).containsExactly(jobId);
    }

    @Test
    void anotherAccountCannotUseTheIdsInItsOwnTasksAndResources() throws Exception {
        String ownCertificate = issuedCertificate("account-b");

        ApiClient.Response foreignCertificate = api.post("/api/v1/deployment-tasks", TestApiKeys.KEY_B,
                Map.of("certificateId", certificateId, "resourceIds", List.of(resourceId)));
        ApiClient.Response foreignResource = api.post("/api/v1/deployment-tasks", TestApiKeys.KEY_B,
                Map.of("certificateId", ownCertificate, "resourceIds", List.of(resourceId)));
        ApiClient.Response foreignCredential = api.post("/api/v1/resources", TestApiKeys.KEY_B, Map.of("type", "scripted",
                "name", "b-site", "config", Map.of("zone", "z"), "credentialId", credentialId, "domains", List.of(OWN_DOMAIN)));

        for (ApiClient.Response r : List.of(foreignCertificate, foreignResource, foreignCredential)) {
            assertThat(r.status()).as(r.body()).isBetween(400, 404);
            assertThat(r.body()).doesNotContain("account-a", resourceName, "a-cloud", ScriptedTarget.API_KEY);
        }
        assertThat(api.get("/api/v1/deployment-tasks", TestApiKeys.KEY_B).json(200)).isEmpty();
        assertThat(api.get("/api/v1/resources", TestApiKeys.KEY_B).json(200)).isEmpty();
    }

    @Test
    void anotherAccountsListsLeaveAccountAOut() {
        for (String path : new String[] {"/api/v1/target-credentials", "/api/v1/resources",
                "/api/v1/resources?credentialId=" + credentialId, "/api/v1/deployment-tasks",
                "/api/v1/deployment-tasks?certificateId=" + certificateId,
                "/api/v1/deployment-jobs?certificateId=" + certificateId}) {
            ApiClient.Response r = api.get(path, TestApiKeys.KEY_B);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.json()).as(path).isEmpty();
        }
        JsonNode services = api.get("/api/v1/cloud-services", TestApiKeys.KEY_B).json(200);
        assertThat(services).allSatisfy(s -> assertThat(s.path("resources").asLong()).as(s.toString()).isZero());
        assertThat(api.get("/api/v1/resources?credentialId=" + credentialId, TestApiKeys.KEY_A).body()).contains(resourceId);
    }

    @Test
    void aReadOnlyKeyReadsTheAccountsThingsButCannotChangeThem() {
        assertThat(api.get("/api/v1/resources/" + resourceId, TestApiKeys.KEY_A_READ).json(200).path("name").asText())
                .isEqualTo(resourceName);
        assertThat(api.get("/api/v1/deployment-jobs/" + jobId, TestApiKeys.KEY_A_READ).json(200).path("taskId").asText())
                .isEqualTo(taskId);

        api.delete("/api/v1/resources/" + resourceId, TestApiKeys.KEY_A_READ).assertProblem(403, "read-only key");
        api.post("/api/v1/deployment-tasks/" + taskId + "/submit", TestApiKeys.KEY_A_READ, "")
                .assertProblem(403, "read-only key");
        api.post("/api/v1/target-credentials", TestApiKeys.KEY_A_READ, Map.of("type", "scripted"))
                .assertProblem(403, "read-only key");

        assertThat(api.get("/api/v1/resources/" + resourceId, TestApiKeys.KEY_A).status()).isEqualTo(200);
    }

    @Test
    void anOperatorReadsTheThingsOfTheAccountItNamesButCannotChangeThem() {
        ApiClient operatorOnA = api.withHeader("X-Certflow-Account", "account-a");

        assertThat(operatorOnA.get("/api/v1/deployment-tasks/" + taskId, TestApiKeys.KEY_OPERATOR).json(200)
                .path("certificateId").asText()).isEqualTo(certificateId);
        assertThat(operatorOnA.get("/api/v1/target-credentials/" + credentialId, TestApiKeys.KEY_OPERATOR).body())
                .contains("a-cloud").doesNotContain(ScriptedTarget.API_KEY);
        operatorOnA.post("/api/v1/deployment-tasks/" + taskId + "/submit", TestApiKeys.KEY_OPERATOR, "")
                .assertProblem(403, "operator key");
        operatorOnA.delete("/api/v1/target-credentials/" + credentialId, TestApiKeys.KEY_OPERATOR)
                .assertProblem(403, "operator key");
        api.withHeader("X-Certflow-Account", "account-b").get("/api/v1/deployment-tasks/" + taskId,
                TestApiKeys.KEY_OPERATOR).assertProblem(404, "");

        assertThat(api.get("/api/v1/target-credentials/" + credentialId, TestApiKeys.KEY_A).status()).isEqualTo(200);
    }

    private String resource(String key, String credential, String name) {
        return api.post("/api/v1/resources", key, Map.of("type", "scripted", "name", name, "config", Map.of("zone", "z"),
                "credentialId", credential, "domains", List.of(OWN_DOMAIN))).json(201).path("resourceId").asText();
    }

    /** A certificate of the account for {@link #OWN_DOMAIN}, known to deployment-service, served by the fake issuance. */
    private String issuedCertificate(String accountId) throws Exception {
        String id = "cert-" + UUID.randomUUID();
        TestCertificates.Issued version = TestCertificates.leaf(TestCertificates.randomSerial(), OWN_DOMAIN);
        issuance.put(id, version);
        Instant at = Instant.now().minusSeconds(60);
        topics.publish(new CertificateIssued(UUID.randomUUID(), at, accountId, id, "attempt-" + UUID.randomUUID(),
                version.serialHex(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(version.certificate().getEncoded())), at, version.certificate().getNotAfter().toInstant(),
                TestCertificates.names(version), version.certificate().getIssuerX500Principal().getName(),
                version.chainPem(), null));
        await().atMost(WAIT).until(() -> issuedCertificates.findById(id).isPresent());
        return id;
    }
}
