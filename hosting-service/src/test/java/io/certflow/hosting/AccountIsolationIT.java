package io.certflow.hosting;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.RenewalDue;
import io.certflow.testsupport.AccountIsolation;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Account B never sees or touches account A's hosted certificates or maintenance windows: every endpoint
 * that names a certificate answers B with a 404 that shows nothing of A's (and renews, pauses or resumes
 * nothing), B's lists leave A's certificates out, A's read-only key only reads and an operator reads A's
 * certificates only when it names account A.
 */
@ServiceIT
class AccountIsolationIT {

    private static final String OWN_DOMAIN = "isolated-hosting.example";
    private static final String WINDOWS = """
            {"windows": [{"days": ["SATURDAY"], "start": "01:00", "end": "03:00", "timeZone": "Pacific/Auckland"}]}""";

    @Autowired
    TopicProbe topics;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @LocalServerPort
    int port;

    private ApiClient api;
    private String certificateId;

    @BeforeEach
    void accountAHostsACertificate() {
        api = ApiClient.onPort(port);
        certificateId = "crt_isolated_" + UUID.randomUUID().toString().replace("-", "");
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, List.of(OWN_DOMAIN), "dv-single", 1, notBefore.plus(365, ChronoUnit.DAYS),
                true, null, null));
        topics.publish(new CertificateIssued(UUID.randomUUID(), Instant.now(), "account-a", certificateId, "att-1", "0b01",
                "ff0b01", notBefore, notBefore.plus(90, ChronoUnit.DAYS), List.of(OWN_DOMAIN), "CN=Test CA", "PEM", null));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ApiClient.Response r = api.get("/api/v1/certificates/" + certificateId, TestApiKeys.KEY_A);
            return r.status() == 200 && r.json().path("status").asText().equals("HOSTED");
        });
    }

    private AccountIsolation table() {
        String path = "/api/v1/certificates/" + certificateId;
        return new AccountIsolation()
                .call("GET", "/api/v1/certificates/{certificateId}", path)
                .call("POST", "/api/v1/certificates/{certificateId}/renew", path + "/renew")
                .call("POST", "/api/v1/certificates/{certificateId}/pause", path + "/pause", "{\"reason\":\"not mine\"}")
                .call("POST", "/api/v1/certificates/{certificateId}/resume", path + "/resume");
    }

    @Test
    void theTableCoversEveryEndpointThatNamesACertificate() {
        table().assertCoversEveryApiMappingWithAPathVariable(mappings);
    }

    @Test
    void anotherAccountGets404OnEveryCertificateEndpointAndChangesNothing() {
        AccountIsolation table = table();

        table.assertEachIsNotFoundFor(api, TestApiKeys.KEY_B, "account-a", OWN_DOMAIN, "0b01");

        table.assertOwnerReadsEach(api, TestApiKeys.KEY_A);
        JsonNode certificate = api.get("/api/v1/certificates/" + certificateId, TestApiKeys.KEY_A).json(200);
        assertThat(certificate.get("status").asText()).as("not paused by B").isEqualTo("HOSTED");
        assertThat(topics.all(RenewalDue.class)).as("no renewal started by B")
                .noneMatch(e -> e.certificateId().equals(certificateId));
    }

    @Test
    void anotherAccountsListsAndWindowsLeaveAccountAOut() {
        api.put("/api/v1/maintenance-windows", TestApiKeys.KEY_A, WINDOWS).json(200);

        for (String path : new String[] {"/api/v1/certificates?size=500", "/api/v1/certificates?domain=" + OWN_DOMAIN,
                "/api/v1/maintenance-windows"}) {
            ApiClient.Response r = api.get(path, TestApiKeys.KEY_B);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain(certificateId, OWN_DOMAIN, "account-a", "Pacific/Auckland");
        }
        assertThat(api.get("/api/v1/certificates?domain=" + OWN_DOMAIN, TestApiKeys.KEY_A).body()).contains(certificateId);
        assertThat(api.get("/api/v1/maintenance-windows", TestApiKeys.KEY_A).body()).contains("Pacific/Auckland");
    }

    @Test
    void aReadOnlyKeyReadsTheAccountsCertificatesButCannotChangeThem() {
        assertThat(api.get("/api/v1/certificates/" + certificateId, TestApiKeys.KEY_A_READ).json(200)
                .get("certificateId").asText()).isEqualTo(certificateId);

        api.post("/api/v1/certificates/" + certificateId + "/pause", TestApiKeys.KEY_A_READ, "{}")
                .assertProblem(403, "read-only key");
        api.put("/api/v1/maintenance-windows", TestApiKeys.KEY_A_READ, WINDOWS).assertProblem(403, "read-only key");

        assertThat(api.get("/api/v1/certificates/" + certificateId, TestApiKeys.KEY_A).json(200).get("status").asText())
                .isEqualTo("HOSTED");
    }

    @Test
    void anOperatorReadsTheCertificatesOfTheAccountItNamesButCannotChangeThem() {
        ApiClient operatorOnA = api.withHeader("X-Certflow-Account", "account-a");

        assertThat(operatorOnA.get("/api/v1/certificates/" + certificateId, TestApiKeys.KEY_OPERATOR).json(200)
                .get("accountId").asText()).isEqualTo("account-a");
        assertThat(operatorOnA.get("/api/v1/certificates?domain=" + OWN_DOMAIN, TestApiKeys.KEY_OPERATOR).body())
                .contains(certificateId);
        operatorOnA.post("/api/v1/certificates/" + certificateId + "/renew", TestApiKeys.KEY_OPERATOR, null)
                .assertProblem(403, "operator key");
        api.withHeader("X-Certflow-Account", "account-b").get("/api/v1/certificates/" + certificateId,
                TestApiKeys.KEY_OPERATOR).assertProblem(404, certificateId);

        assertThat(topics.all(RenewalDue.class)).noneMatch(e -> e.certificateId().equals(certificateId));
    }
}
