package io.certflow.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Ports;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import io.certflow.verification.persistence.DnsCredential;
import io.certflow.verification.persistence.DomainAuthorization;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.certflow.verification.OutsideIn.WAIT;
import static io.certflow.verification.OutsideIn.awaitTrue;
import static io.certflow.verification.OutsideIn.certificateIssued;
import static io.certflow.verification.OutsideIn.certificateRequested;
import static io.certflow.verification.OutsideIn.challengeRequested;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Automatic DNS" end to end: an account gives certflow an RFC 2136 credential for its zone on a real BIND, chooses
 * it for a domain, Verify writes and removes a test record, and every challenge is then written to the zone, seen on
 * its authoritative server, announced ready and removed once the attempt ends — other values at the name untouched.
 * Bad credentials and a provider that stops answering end in clear answers and events, never in silence. The method
 * an application chose ({@code CertificateRequested.verificationMethod}) is honoured: {@code DNS_PROVIDER} finds the
 * account's credential that can write in the zone, and without one waits saying so instead of using the CNAME the
 * domain has; {@code CNAME_DELEGATION} moves a domain set up for a provider back to delegation and waits for its CNAME.
 */
@ServiceIT
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AutomaticDnsIT {

    private static final String ZONE = "demo.certflow.test";
    private static final Ports PORTS = Ports.free();

    @TempDir
    static Path dir;
    static BindProcess bind;

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        OutsideIn.customerDns(registry, PORTS);
        registry.add("certflow.verification.providers.timeout", () -> "1s");
        registry.add("certflow.verification.challenge.ready-timeout", () -> "8s");
        registry.add("certflow.verification.provider-selection.interval", () -> "200ms");
        registry.add("certflow.verification.provider-selection.retry", () -> "1s");
        TestApiKeys.ownerKey(TestApiKeys.KEY_C, "account-c").forEach((k, v) -> registry.add(k, () -> v));
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

    @Test
    void challengesAreWrittenThroughTheAccountsProviderSeenOnTheAuthoritativeServerAndRemoved() throws Exception {
        String credentialId = createCredential("key-a", bind.tsigSecret());
        String domain = "auto." + ZONE;
        String name = "_acme-challenge." + domain + ".";
        bind.addTxt(name, "another-clients-value");

        JsonNode chosen = api().put("/api/v1/domains/" + domain + "/method", "key-a",
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).json(200);
        assertThat(chosen.get("method").asText()).isEqualTo("DNS_PROVIDER");
        assertThat(chosen.get("credentialId").asText()).isEqualTo(credentialId);
        assertThat(chosen.get("state").asText()).isEqualTo("PENDING");

        JsonNode verified = api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200);
        assertThat(verified.get("result").asText()).isEqualTo("VERIFIED");
        assertThat(verified.get("detail").asText()).contains("zone " + ZONE + ".");
        assertThat(txt(name)).as("the test record is gone again").containsExactly("another-clients-value");
        assertThat(api().get("/api/v1/domains/" + domain, "key-a").json(200).get("state").asText()).isEqualTo("VERIFIED");

        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", certificateId, domain, "*." + domain));
        DomainsVerified domainsVerified = topics.await(DomainsVerified.class,
                e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(domainsVerified.domains()).allSatisfy(d -> {
            assertThat(d.method()).isEqualTo("DNS_PROVIDER");
            assertThat(d.delegationTarget()).isNull();
        });

        String attemptId = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", certificateId, attemptId,
                new ChallengeRequested.DnsChallenge(domain, name, "digest-apex-0123456789"),
                new ChallengeRequested.DnsChallenge("*." + domain, name, "digest-wild-0123456789")));
        ChallengeReady ready = topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT);
        assertThat(ready.ready()).as("ready: %s", ready.reason()).isTrue();
        assertThat(txt(name)).containsExactlyInAnyOrder("another-clients-value", "digest-apex-0123456789",
                "digest-wild-0123456789");

        topics.publish(certificateIssued("account-a", certificateId, attemptId, domain));
        awaitTrue(() -> txt(name).size() == 1);
        assertThat(txt(name)).containsExactly("another-clients-value");

        assertThat(api().delete("/api/v1/dns-credentials/" + credentialId, "key-a").status())
                .as("a credential in use is not deleted").isEqualTo(409);
    }

    @Test
    void credentialsAreCheckedWhenGivenSealedAtRestAndNeverShownOrLentToAnotherAccount() {
        String secret = bind.tsigSecret();
        api().post("/api/v1/dns-credentials", "key-a", Map.of("provider", "RFC2136",
                        "settings", Map.of("keyName", BindProcess.TSIG_KEY_NAME, "colour", "blue"),
                        "secrets", Map.of()))
                .assertProblem(400, "setting 'server' is missing; secret 'tsigSecret' is missing; unknown setting 'colour'");
        api().post("/api/v1/dns-credentials", "key-a", Map.of("provider", "GODADDY")).assertProblem(400, "RFC2136");
        ApiClient.Response refusedEndpoint = api().post("/api/v1/dns-credentials", "key-a", Map.of("provider", "CLOUDFLARE",
                "settings", Map.of("endpoint", "ftp://internal"), "secrets", Map.of("apiToken", "tok-" + secret)));
        refusedEndpoint.assertProblem(400, "endpoint");
        assertThat(refusedEndpoint.body()).doesNotContain(secret);

        String id = createCredential("key-a", secret);
        ApiClient.Response shown = api().get("/api/v1/dns-credentials/" + id, "key-a");
        assertThat(shown.json(200).get("secretNames").get(0).asText()).isEqualTo("tsigSecret");
        assertThat(shown.body()).doesNotContain(secret);
        assertThat(api().get("/api/v1/dns-credentials", "key-a").body()).contains(id).doesNotContain(secret);

        Document stored = mongo.getCollection(mongo.getCollectionName(DnsCredential.class))
                .find(new Document("_id", id)).first();
        assertThat(stored).isNotNull();
        assertThat(stored.toJson()).doesNotContain(secret).contains("envelope-aes256gcm-v1");

        assertThat(api().get("/api/v1/dns-credentials/" + id, "key-b").status()).isEqualTo(404);
        assertThat(api().get("/api/v1/dns-credentials", "key-b").body()).doesNotContain(id);
        api().put("/api/v1/domains/b-owned." + ZONE + "/method", "key-b",
                Map.of("method", "DNS_PROVIDER", "credentialId", id)).assertProblem(404, id);
        assertThat(api().delete("/api/v1/dns-credentials/" + id, "key-b").status()).isEqualTo(404);
        api().put("/api/v1/domains/x." + ZONE + "/method", "key-a", Map.of("method", "CARRIER_PIGEON"))
                .assertProblem(400, "CNAME_DELEGATION or DNS_PROVIDER");
        assertThat(api().delete("/api/v1/dns-credentials/" + id, "key-a").status()).isEqualTo(204);
        assertThat(api().get("/api/v1/dns-credentials/" + id, "key-a").status()).isEqualTo(404);
    }

    @Test
    void verifyExplainsAWrongKeyAZoneTheServerDoesNotHoldAndAServerThatDoesNotAnswer() throws Exception {
        String wrongKey = createCredential("key-a", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        JsonNode refused = verifyWith("wrongkey." + ZONE, wrongKey);
        assertThat(refused.get("result").asText()).isEqualTo("PROVIDER_REFUSED");
        assertThat(refused.get("detail").asText()).contains(BindProcess.TSIG_KEY_NAME);
        assertThat(refused.get("verified").asBoolean()).isFalse();

        String good = createCredential("key-a", bind.tsigSecret());
        JsonNode noZone = verifyWith("elsewhere.invalid", good);
        assertThat(noZone.get("result").asText()).isEqualTo("NO_PROVIDER_ZONE");
        assertThat(noZone.get("detail").asText()).contains("_acme-challenge.elsewhere.invalid.");

        String silent = createCredential("key-a", bind.tsigSecret(), "127.0.0.1:" + closedPort());
        JsonNode unavailable = verifyWith("silent." + ZONE, silent);
        assertThat(unavailable.get("result").asText()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(unavailable.get("detail").asText()).contains("Try again");
    }

    @Test
    void aProviderThatStopsAnsweringEndsTheChallengeWithAReasonInsteadOfSilence() throws Exception {
        String silent = createCredential("key-a", bind.tsigSecret(), "127.0.0.1:" + closedPort());
        String domain = "gone." + ZONE;
        api().put("/api/v1/domains/" + domain + "/method", "key-a",
                Map.of("method", "DNS_PROVIDER", "credentialId", silent)).json(200);
        // verified earlier, when the server still answered
        mongo.updateFirst(Query.query(Criteria.where("_id").is(DomainAuthorization.idOf("account-a", domain))),
                Update.update("state", "VERIFIED"), DomainAuthorization.class);

        String certificateId = "crt_" + UUID.randomUUID();
        String attemptId = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", certificateId, attemptId,
                new ChallengeRequested.DnsChallenge(domain, "_acme-challenge." + domain + ".", "digest-0123456789")));
        ChallengeReady answer = topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT);
        assertThat(answer.ready()).isFalse();
        assertThat(answer.reason()).contains("_acme-challenge." + domain + ".").contains("failed");

        topics.publish(new IssuanceFailed(UUID.randomUUID(), Instant.now(), "account-a", certificateId, attemptId,
                "challenge not ready", null, true));
        assertThat(topics.all(ChallengeReady.class)).filteredOn(e -> e.attemptId().equals(attemptId)).hasSize(1);
    }

    @Test
    void dnsProvider_waitsSayingNoCredentialCoversTheZone_neverUsesTheCname_thenUsesTheCredentialAdded() throws Exception {
        String label = "prov-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = label + "." + ZONE;
        String name = "_acme-challenge." + domain + ".";
        // the domain is delegated by CNAME and verified: what today's behaviour would use
        String target = api().get("/api/v1/domains/" + domain + "/delegation", "key-c").json(200)
                .get("recordValue").asText();
        bind.addCname("_acme-challenge." + label, target);
        assertThat(api().post("/api/v1/domains/" + domain + "/verify", "key-c", "").json(200).get("result").asText())
                .isEqualTo("VERIFIED");

        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(requested("account-c", certificateId, "DNS_PROVIDER", domain, "*." + domain));

        awaitTrue("the request says why it waits", () -> waitingFor(certificateId, "key-c")
                .startsWith("No DNS credential of this account covers the zone of " + name));
        JsonNode waiting = api().get("/api/v1/certificates/" + certificateId + "/verification", "key-c").json(200);
        assertThat(waiting.get("verificationMethod").asText()).isEqualTo("DNS_PROVIDER");
        assertThat(waiting.get("state").asText()).isEqualTo("WAITING");
        assertThat(waiting.get("domains").get(0).get("waitingFor").asText()).contains("does not fall back to CNAME");
        Thread.sleep(1500); // looked at again at least once
        assertThat(topics.all(DomainsVerified.class)).noneMatch(e -> e.certificateId().equals(certificateId));
        JsonNode domainView = api().get("/api/v1/domains/" + domain, "key-c").json(200);
        assertThat(domainView.get("method").asText()).isEqualTo("CNAME_DELEGATION");
        assertThat(domainView.get("state").asText()).isEqualTo("VERIFIED");
        api().get("/api/v1/certificates/" + certificateId + "/verification", "key-b")
                .assertProblem(404, "no verification of certificate " + certificateId);

        // the owner removes the CNAME (TXT records cannot sit beside it) and adds a credential for the zone: certflow
        // finds it, tests it and releases the certificate
        bind.deleteName("_acme-challenge." + label);
        String secret = bind.tsigSecret();
        String credentialId = OutsideIn.createRfc2136Credential(api(), "key-c", secret, "127.0.0.1:" + PORTS.bind());

        DomainsVerified verified = topics.await(DomainsVerified.class, e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(verified.domains()).extracting(DomainsVerified.VerifiedDomain::domain)
                .containsExactly(domain, "*." + domain);
        assertThat(verified.domains()).allSatisfy(d -> {
            assertThat(d.method()).isEqualTo("DNS_PROVIDER");
            assertThat(d.delegationTarget()).isNull();
        });
        JsonNode done = api().get("/api/v1/certificates/" + certificateId + "/verification", "key-c").json(200);
        assertThat(done.get("state").asText()).isEqualTo("VERIFIED");
        assertThat(done.get("domains").get(0).get("method").asText()).isEqualTo("DNS_PROVIDER");
        assertThat(done.get("domains").get(0).get("credentialId").asText()).isEqualTo(credentialId);
        assertThat(done.get("domains").get(0).has("waitingFor")).as("null fields are left out").isFalse();
        assertThat(done.toString()).doesNotContain(secret);
        assertThat(api().get("/api/v1/domains/" + domain, "key-c").json(200).get("method").asText())
                .isEqualTo("DNS_PROVIDER");
        assertThat(txt(name)).as("the test records are gone again").isEmpty();
    }

    @Test
    void cnameDelegation_movesAProviderDomainToItsCname_andWaitsForIt() throws Exception {
        String label = "cname-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = label + "." + ZONE;
        String credentialId = OutsideIn.createRfc2136Credential(api(), "key-a", bind.tsigSecret(),
                "127.0.0.1:" + PORTS.bind());
        api().put("/api/v1/domains/" + domain + "/method", "key-a",
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).json(200);
        assertThat(api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200).get("result").asText())
                .isEqualTo("VERIFIED");

        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(requested("account-a", certificateId, "CNAME_DELEGATION", domain));

        awaitTrue("the domain is delegated again", () -> "CNAME_DELEGATION".equals(
                api().get("/api/v1/domains/" + domain, "key-a").json(200).get("method").asText()));
        JsonNode delegation = api().get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200);
        assertThat(delegation.get("state").asText()).isEqualTo("PENDING");
        String target = delegation.get("recordValue").asText();
        awaitTrue("the request shows the CNAME to create", () -> waitingFor(certificateId, "key-a")
                .contains("_acme-challenge." + domain + ". -> " + target));
        assertThat(api().get("/api/v1/certificates/" + certificateId + "/verification", "key-a").json(200)
                .get("verificationMethod").asText()).isEqualTo("CNAME_DELEGATION");
        Thread.sleep(1000);
        assertThat(topics.all(DomainsVerified.class)).noneMatch(e -> e.certificateId().equals(certificateId));

        bind.addCname("_acme-challenge." + label, target);
        assertThat(api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200).get("result").asText())
                .isEqualTo("VERIFIED");
        DomainsVerified verified = topics.await(DomainsVerified.class, e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(verified.domains()).singleElement().satisfies(d -> {
            assertThat(d.method()).isEqualTo("CNAME_DELEGATION");
            assertThat(d.delegationTarget()).isEqualTo(target);
        });
    }

    @Test
    void anUnknownMethodIsADeadLetter() {
        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(requested("account-a", certificateId, "CARRIER_PIGEON", "pigeon." + ZONE));
        assertThat(topics.awaitDeadLetters(Topics.CERTIFICATE_REQUESTED, 1, Duration.ofSeconds(30)))
                .anySatisfy(r -> assertThat(r.key()).isEqualTo(certificateId));
        api().get("/api/v1/certificates/" + certificateId + "/verification", "key-a").assertProblem(404, certificateId);
    }

    private String waitingFor(String certificateId, String apiKey) {
        ApiClient.Response response = api().get("/api/v1/certificates/" + certificateId + "/verification", apiKey);
        if (response.status() != 200) {
            return "";
        }
        JsonNode waiting = response.json(200).get("domains").get(0).get("waitingFor");
        return waiting == null || waiting.isNull() ? "" : waiting.asText();
    }

    private static CertificateRequested requested(String account, String certificateId, String method,
                                                  String... domains) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), account, certificateId,
                "ord_" + UUID.randomUUID(), List.of(domains), "dv-single", 1,
                Instant.now().plus(Duration.ofDays(365)), true, null, null, null, method);
    }

    private JsonNode verifyWith(String domain, String credentialId) {
        api().put("/api/v1/domains/" + domain + "/method", "key-a",
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).json(200);
        return api().post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200);
    }

    private String createCredential(String apiKey, String tsigSecret) {
        return createCredential(apiKey, tsigSecret, "127.0.0.1:" + PORTS.bind());
    }

    private String createCredential(String apiKey, String tsigSecret, String server) {
        return OutsideIn.createRfc2136Credential(api(), apiKey, tsigSecret, server);
    }

    private static List<String> txt(String name) {
        return bind.query(name, Type.TXT).stream().filter(r -> r instanceof TXTRecord)
                .map(r -> String.join("", ((TXTRecord) r).getStrings())).toList();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private ApiClient api() {
        return ApiClient.onPort(port);
    }
}
