package io.certflow.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Ports;
import io.certflow.testsupport.AccountIsolation;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Account B never sees or touches account A's DNS credentials, certificate verifications or domain
 * authorizations: an endpoint that names A's credential or certificate answers B with a 404 that shows nothing of
 * A's; a domain is a name any account may claim, so the domain endpoints answer B from B's own authorization of
 * that name (its own delegation target, method and state), never A's, and change nothing of A's. B's lists leave
 * A's credentials out, A's read-only key only reads and an operator reads A's things only when it names account A.
 * Runs on the set-up of {@link AutomaticDnsIT} (a real BIND taking RFC 2136 updates).
 */
@ServiceIT
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AccountIsolationIT {

    private static final String ZONE = "demo.certflow.test";
    private static final Ports PORTS = Ports.free();

    @TempDir
    static Path dir;
    static BindProcess bind;

    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        OutsideIn.customerDns(registry, PORTS);
        registry.add("certflow.verification.providers.timeout", () -> "1s");
    }

    @BeforeAll
    static void startBind() {
        bind = OutsideIn.startBind(dir, PORTS);
    }

    @AfterAll
    static void stopBind() {
        if (bind != null) {
            bind.stop();
        }
    }

    @Autowired
    TopicProbe topics;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @LocalServerPort
    int port;

    private ApiClient api;
    private String credentialId;
    private String domain;
    private String delegationTarget;
    private String certificateId;

    /** Account A's DNS credential, a domain verified through it, and a certificate request for the domain. */
    @BeforeEach
    void accountAVerifiesADomainThroughItsProvider() {
        api = ApiClient.onPort(port);
        credentialId = OutsideIn.createRfc2136Credential(api, TestApiKeys.KEY_A, bind.tsigSecret(), "127.0.0.1:" + PORTS.bind());
        domain = "iso-" + UUID.randomUUID().toString().substring(0, 8) + "." + ZONE;
        delegationTarget = api.get("/api/v1/domains/" + domain + "/delegation", TestApiKeys.KEY_A).json(200)
                .get("recordValue").asText();
        api.put("/api/v1/domains/" + domain + "/method", TestApiKeys.KEY_A,
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).json(200);
        certificateId = "crt_" + UUID.randomUUID();
        topics.publish(OutsideIn.certificateRequested("account-a", certificateId, domain));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.get("/api/v1/certificates/" + certificateId + "/verification", TestApiKeys.KEY_A).status() == 200);
    }

    /** Endpoints that name one of A's objects by its id. */
    private AccountIsolation ownedByA() {
        String credential = "/api/v1/dns-credentials/" + credentialId;
        return new AccountIsolation()
                .call("GET", "/api/v1/dns-credentials/{id}", credential)
                .call("DELETE", "/api/v1/dns-credentials/{id}", credential)
                .call("GET", "/api/v1/certificates/{certificateId}/verification",
                        "/api/v1/certificates/" + certificateId + "/verification");
    }

    /** Endpoints that name a domain: each account has its own authorization of it. */
    private AccountIsolation perAccountDomain() {
        String path = "/api/v1/domains/" + domain;
        return new AccountIsolation()
                .call("GET", "/api/v1/domains/{domain}", path)
                .call("GET", "/api/v1/domains/{domain}/delegation", path + "/delegation")
                .call("PUT", "/api/v1/domains/{domain}/method", path + "/method", Map.of("method", "CNAME_DELEGATION"))
                .call("POST", "/api/v1/domains/{domain}/verify", path + "/verify");
    }

    @Test
    void theTablesCoverEveryEndpointThatNamesACredentialCertificateOrDomain() {
        ownedByA().and(perAccountDomain()).assertCoversEveryApiMappingWithAPathVariable(mappings);
    }

    @Test
    void anotherAccountGets404ForTheCredentialAndTheVerificationAndChangesNothing() {
        AccountIsolation table = ownedByA();

        table.assertEachIsNotFoundFor(api, TestApiKeys.KEY_B, "account-a", domain, "demo BIND", delegationTarget,
                bind.tsigSecret());
        api.put("/api/v1/domains/b-" + domain + "/method", TestApiKeys.KEY_B,
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).assertProblem(404, credentialId);

        table.assertOwnerReadsEach(api, TestApiKeys.KEY_A);
    }

    @Test
    void anotherAccountSeesOnlyItsOwnAuthorizationOfTheDomainAndChangesNothingOfA() {
        perAccountDomain().assertEachAnswersFromItsOwnAccount(api, TestApiKeys.KEY_B, 200,
                "account-a", credentialId, delegationTarget);

        JsonNode ofB = api.get("/api/v1/domains/" + domain, TestApiKeys.KEY_B).json(200);
        assertThat(ofB.get("method").asText()).isEqualTo("CNAME_DELEGATION");
        assertThat(ofB.get("cname").get("recordValue").asText()).isNotEqualTo(delegationTarget);
        JsonNode ofA = api.get("/api/v1/domains/" + domain, TestApiKeys.KEY_A).json(200);
        assertThat(ofA.get("method").asText()).as("B's method choice is B's own").isEqualTo("DNS_PROVIDER");
        assertThat(ofA.get("credentialId").asText()).isEqualTo(credentialId);
        assertThat(ofA.get("cname").get("recordValue").asText()).isEqualTo(delegationTarget);
    }

    @Test
    void anotherAccountsListsLeaveTheCredentialOut() {
        ApiClient.Response list = api.get("/api/v1/dns-credentials", TestApiKeys.KEY_B);

        assertThat(list.json(200).toString()).doesNotContain(credentialId, "demo BIND");
        assertThat(api.get("/api/v1/dns-credentials", TestApiKeys.KEY_A).body()).contains(credentialId);
    }

    @Test
    void aReadOnlyKeyReadsTheAccountsThingsButCannotChangeThem() {
        assertThat(api.get("/api/v1/dns-credentials/" + credentialId, TestApiKeys.KEY_A_READ).json(200).get("id").asText())
                .isEqualTo(credentialId);
        assertThat(api.get("/api/v1/domains/" + domain, TestApiKeys.KEY_A_READ).json(200).get("credentialId").asText())
                .isEqualTo(credentialId);

        api.delete("/api/v1/dns-credentials/" + credentialId, TestApiKeys.KEY_A_READ).assertProblem(403, "read-only key");
        api.put("/api/v1/domains/" + domain + "/method", TestApiKeys.KEY_A_READ, Map.of("method", "CNAME_DELEGATION"))
                .assertProblem(403, "read-only key");

        assertThat(api.get("/api/v1/domains/" + domain, TestApiKeys.KEY_A).json(200).get("method").asText())
                .isEqualTo("DNS_PROVIDER");
    }

    @Test
    void anOperatorReadsTheThingsOfTheAccountItNamesButCannotChangeThem() {
        ApiClient operatorOnA = api.withHeader("X-Certflow-Account", "account-a");

        assertThat(operatorOnA.get("/api/v1/certificates/" + certificateId + "/verification", TestApiKeys.KEY_OPERATOR)
                .json(200).get("certificateId").asText()).isEqualTo(certificateId);
        assertThat(operatorOnA.get("/api/v1/dns-credentials/" + credentialId, TestApiKeys.KEY_OPERATOR).body())
                .contains("demo BIND").doesNotContain(bind.tsigSecret());
        operatorOnA.post("/api/v1/domains/" + domain + "/verify", TestApiKeys.KEY_OPERATOR, "")
                .assertProblem(403, "operator key");
        api.withHeader("X-Certflow-Account", "account-b").get("/api/v1/dns-credentials/" + credentialId,
                TestApiKeys.KEY_OPERATOR).assertProblem(404, credentialId);

        assertThat(api.get("/api/v1/dns-credentials/" + credentialId, TestApiKeys.KEY_A).status()).isEqualTo(200);
    }
}
