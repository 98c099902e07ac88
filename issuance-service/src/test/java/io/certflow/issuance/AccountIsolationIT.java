package io.certflow.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.StackConfig;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.testsupport.AccountIsolation;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account B never sees or touches account A's issuance: the endpoints that name A's certificate or version answer
 * B with a 404 that shows nothing of A's (and revoke nothing); a CA profile is shared by every account, so its
 * endpoints answer B with B's own ACME account there, never A's, and roll over nothing of A's. No API key (not
 * even A's own or an operator's) opens the internal bundle endpoint. A's read-only key only reads and an operator
 * reads A's attempts only when it names account A. One certificate of A is issued by a real Pebble, as in
 * {@link IssuanceServiceFlows}.
 */
@ServiceIT
class AccountIsolationIT {

    private static final Duration ISSUANCE = Duration.ofSeconds(60);
    @TempDir
    static Path stackDir;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    /** A's certificate and its issued version, issued once for all tests. */
    private static CertificateIssued issued;

    @DynamicPropertySource
    static void ca(DynamicPropertyRegistry registry) {
        StackConfig stack = StackConfig.forTests(stackDir, EnumSet.of(Component.BIND, Component.PEBBLE));
        bind = new BindProcess(stack);
        bind.start();
        pebble = new PebbleProcess(stack);
        pebble.start();
        registry.add("certflow.issuance.ca.directory-url", pebble::directoryUrl);
        registry.add("certflow.issuance.ca.trusted-certificate", () -> pebble.caCertificate().toString());
        ChallengeAnswering.quickIssuance(registry);
    }

    @AfterAll
    static void stop() {
        if (pebble != null) {
            pebble.stop();
        }
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
    private String profile;
    private String accountUrlOfA;

    @BeforeEach
    void accountAHasAnIssuedCertificate() throws Exception {
        api = ApiClient.onPort(port);
        if (issued == null) {
            String certificateId = "crt-iso-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> domains = List.of(certificateId + ".demo.certflow.test");
            topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                    "ord-" + certificateId, domains, "dv-single", 1, null, true, null, "EC_P256"));
            topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                    List.of(new DomainsVerified.VerifiedDomain(domains.get(0), "CNAME_DELEGATION", "x.acme.certflow.test."))));
            issued = new ChallengeAnswering(topics, bind).awaitIssued(certificateId, e -> true, ISSUANCE, () -> "");
        }
        profile = api.get("/api/v1/ca-profiles", TestApiKeys.KEY_A).json(200).get(0).get("name").asText();
        accountUrlOfA = api.get("/api/v1/ca-profiles/" + profile, TestApiKeys.KEY_A).json(200)
                .path("account").path("url").asText();
        assertThat(accountUrlOfA).as("A's ACME account at the profile").isNotBlank();
    }

    /** Endpoints that name A's certificate or version. */
    private AccountIsolation ownedByA() {
        String certificate = "/api/v1/certificates/" + issued.certificateId();
        return new AccountIsolation()
                .call("GET", "/api/v1/certificates/{certificateId}/attempts", certificate + "/attempts")
                .call("POST", "/api/v1/certificates/{certificateId}/versions/{serialNumber}/revoke",
                        certificate + "/versions/" + issued.serialNumber() + "/revoke", Map.of("reason", "keyCompromise"));
    }

    /** Endpoints that name a CA profile: each account has its own ACME account there. */
    private AccountIsolation perAccountProfile() {
        return new AccountIsolation()
                .call("GET", "/api/v1/ca-profiles/{name}", "/api/v1/ca-profiles/" + profile);
    }

    @Test
    void theTablesCoverEveryEndpointThatNamesACertificateOrProfile() {
        AccountIsolation rollover = new AccountIsolation().call("POST", "/api/v1/ca-profiles/{name}/account/key-rollover",
                "/api/v1/ca-profiles/" + profile + "/account/key-rollover");
        ownedByA().and(perAccountProfile()).and(rollover).assertCoversEveryApiMappingWithAPathVariable(mappings);
    }

    @Test
    void anotherAccountGets404ForTheCertificateAndRevokesNothing() {
        AccountIsolation table = ownedByA();

        table.assertEachIsNotFoundFor(api, TestApiKeys.KEY_B, "account-a", issued.domains().get(0), issued.attemptId());

        table.assertOwnerReadsEach(api, TestApiKeys.KEY_A);
        assertThat(topics.all(CertificateRevoked.class)).noneMatch(e -> e.certificateId().equals(issued.certificateId()));
    }

    @Test
    void anotherAccountSeesOnlyItsOwnAcmeAccountAtAProfileAndRollsOverNothingOfA() {
        perAccountProfile().assertEachAnswersFromItsOwnAccount(api, TestApiKeys.KEY_B, 200, accountUrlOfA);
        JsonNode before = api.get("/api/v1/ca-profiles/" + profile, TestApiKeys.KEY_A).json(200).path("account");

        api.post("/api/v1/ca-profiles/" + profile + "/account/key-rollover", TestApiKeys.KEY_B, null)
                .assertProblem(409, "no ACME account of this account");

        assertThat(api.get("/api/v1/ca-profiles/" + profile, TestApiKeys.KEY_B).json(200).path("account").isMissingNode())
                .isTrue();
        assertThat(api.get("/api/v1/ca-profiles/" + profile, TestApiKeys.KEY_A).json(200).path("account")).isEqualTo(before);
    }

    @Test
    void noApiKeyOpensTheInternalBundle_onlyTheServiceCredential() {
        String bundle = "/internal/v1/certificates/" + issued.certificateId() + "/versions/" + issued.serialNumber() + "/bundle";

        for (ApiClient client : List.of(api, api.withHeader("X-Certflow-Account", "account-a"))) {
            for (String key : List.of(TestApiKeys.KEY_A, TestApiKeys.KEY_OPERATOR)) {
                ApiClient.Response r = client.get(bundle, key);
                r.assertProblem(401, "X-Internal-Token");
                assertThat(r.body()).doesNotContain("PRIVATE KEY");
            }
        }
        assertThat(api.getInternal(bundle, "test-internal-token").json(200).path("privateKeyPem").asText())
                .contains("PRIVATE KEY");
    }

    @Test
    void aReadOnlyKeyReadsTheAttemptsButCannotRevokeOrRollOver() {
        assertThat(api.get("/api/v1/certificates/" + issued.certificateId() + "/attempts", TestApiKeys.KEY_A_READ).json(200))
                .extracting(a -> a.path("attemptId").asText()).contains(issued.attemptId());

        api.post("/api/v1/certificates/" + issued.certificateId() + "/versions/" + issued.serialNumber() + "/revoke",
                TestApiKeys.KEY_A_READ, Map.of("reason", "keyCompromise")).assertProblem(403, "read-only key");
        api.post("/api/v1/ca-profiles/" + profile + "/account/key-rollover", TestApiKeys.KEY_A_READ, null)
                .assertProblem(403, "read-only key");

        assertThat(topics.all(CertificateRevoked.class)).noneMatch(e -> e.certificateId().equals(issued.certificateId()));
    }

    @Test
    void anOperatorReadsTheAttemptsOfTheAccountItNamesButCannotRevoke() {
        ApiClient operatorOnA = api.withHeader("X-Certflow-Account", "account-a");

        assertThat(operatorOnA.get("/api/v1/certificates/" + issued.certificateId() + "/attempts", TestApiKeys.KEY_OPERATOR)
                .json(200)).extracting(a -> a.path("attemptId").asText()).contains(issued.attemptId());
        assertThat(operatorOnA.get("/api/v1/ca-profiles/" + profile, TestApiKeys.KEY_OPERATOR).json(200)
                .path("account").path("url").asText()).isEqualTo(accountUrlOfA);
        operatorOnA.post("/api/v1/certificates/" + issued.certificateId() + "/versions/" + issued.serialNumber() + "/revoke",
                TestApiKeys.KEY_OPERATOR, Map.of("reason", "keyCompromise")).assertProblem(403, "operator key");
        api.withHeader("X-Certflow-Account", "account-b").get("/api/v1/certificates/" + issued.certificateId() + "/attempts",
                TestApiKeys.KEY_OPERATOR).assertProblem(404, issued.certificateId());

        assertThat(topics.all(CertificateRevoked.class)).noneMatch(e -> e.certificateId().equals(issued.certificateId()));
    }
}
