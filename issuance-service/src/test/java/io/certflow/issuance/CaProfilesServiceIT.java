package io.certflow.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleBehaviour;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.StackConfig;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.persistence.AcmeAccountRecord;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.naming.ldap.LdapName;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * CA profiles end to end: issuance-service with several {@code certflow.issuance.profiles} on a real Kafka
 * broker, the Mongo wire server and devstack's real Pebble requiring external account binding and serving an
 * alternate chain (BIND answers DNS-01; the test plays verification-service). Covers issuance through the
 * binding on the preferred chain, a profile's default key type, a wrong binding and an ACME profile the CA does
 * not offer ending in final {@code IssuanceFailed}s, the CA-profile API, and account key rollover.
 */
@ServiceIT
@ExtendWith(OutputCaptureExtension.class)
class CaProfilesServiceIT {

    private static final String KID = "kid-certflow";
    private static final String HMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
    private static final String WRONG_HMAC = "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH";
    private static final Duration ISSUANCE = Duration.ofSeconds(90);

    @TempDir
    static Path stackDir;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    private static X509Certificate alternateRoot;

    @Autowired
    TopicProbe topics;
    private ChallengeAnswering answering;
    @Autowired
    MongoTemplate mongo;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void profiles(DynamicPropertyRegistry registry) throws Exception {
        if (pebble == null) {
            StackConfig stack = StackConfig.forTests(stackDir, EnumSet.of(Component.BIND, Component.PEBBLE))
                    .withPebble(PebbleBehaviour.fast().withExternalAccountBinding(Map.of(KID, HMAC)).withAlternateRoots(1));
            bind = new BindProcess(stack);
            bind.start();
            pebble = new PebbleProcess(stack);
            pebble.start();
            alternateRoot = certificate(pebble.rootPem(1));
        }
        ChallengeAnswering.quickIssuance(registry);
        // the single ca block stays a profile ("default", no binding); requests without a profile go to "eab"
        registry.add("certflow.issuance.ca.directory-url", pebble::directoryUrl);
        registry.add("certflow.issuance.ca.trusted-certificate", () -> pebble.caCertificate().toString());
        registry.add("certflow.issuance.default-profile", () -> "eab");
        profile(registry, "eab", HMAC);
        registry.add("certflow.issuance.profiles.eab.preferred-chain", () -> commonName(alternateRoot));
        registry.add("certflow.issuance.profiles.eab.contact-email", () -> "ops@certflow.test");
        profile(registry, "rsa", HMAC);
        registry.add("certflow.issuance.profiles.rsa.key-type", () -> "RSA_2048");
        registry.add("certflow.issuance.profiles.rsa.rate-limit.new-orders", () -> "7");
        registry.add("certflow.issuance.profiles.rsa.rate-limit.window", () -> "1h");
        profile(registry, "wrong-eab", WRONG_HMAC);
        profile(registry, "short", HMAC);
        registry.add("certflow.issuance.profiles.short.acme-profile", () -> "shortlived");
    }

    private static void profile(DynamicPropertyRegistry registry, String name, String hmac) {
        String p = "certflow.issuance.profiles." + name + ".";
        registry.add(p + "directory-url", pebble::directoryUrl);
        registry.add(p + "trusted-certificate", () -> pebble.caCertificate().toString());
        registry.add(p + "eab.key-id", () -> KID);
        registry.add(p + "eab.hmac-key", () -> hmac);
    }

    @AfterAll
    static void stopPebbleAndBind() {
        if (pebble != null) {
            pebble.stop();
            pebble = null;
        }
        if (bind != null) {
            bind.stop();
            bind = null;
        }
    }

    @Test
    void issuesThroughTheBindingOnThePreferredChain_withTheProfilesKeyType_andTheApiShowsProfilesAndAccounts(
            CapturedOutput output) throws Exception {
        String viaDefault = request("account-a", null);
        String viaRsa = request("account-a", "rsa");

        CertificateIssued issued = awaitIssued(viaDefault);
        CertificateChain chain = CertificateChain.parse(issued.certificateChainPem());
        X509Certificate top = chain.certificates().get(chain.certificates().size() - 1);
        assertThat(top.getIssuerX500Principal()).as("published chain ends at the preferred root")
                .isEqualTo(alternateRoot.getSubjectX500Principal());
        top.verify(alternateRoot.getPublicKey());
        CertificateVersion stored = mongo.findById(CertificateVersion.idOf(viaDefault, issued.serialNumber()),
                CertificateVersion.class);
        assertThat(stored).isNotNull();
        assertThat(stored.getCertificateChainPem()).isEqualTo(issued.certificateChainPem());
        assertThat(mongo.findById(issued.attemptId(), IssuanceAttempt.class).getCaProfile())
                .as("the request named no profile").isNull();

        CertificateIssued rsa = awaitIssued(viaRsa);
        assertThat(CertificateChain.parse(rsa.certificateChainPem()).leaf().getPublicKey())
                .as("the rsa profile's default key type").isInstanceOfSatisfying(RSAPublicKey.class,
                        k -> assertThat(k.getModulus().bitLength()).isEqualTo(2048));

        JsonNode list = api().get("/api/v1/ca-profiles", "key-a").json(200);
        assertThat(list).extracting(n -> n.get("name").asText())
                .containsExactly("default", "eab", "rsa", "wrong-eab", "short");
        JsonNode eab = api().get("/api/v1/ca-profiles/eab", "key-a").json(200);
        assertThat(eab.get("isDefault").asBoolean()).isTrue();
        assertThat(eab.get("directoryUrl").asText()).isEqualTo(pebble.directoryUrl());
        assertThat(eab.get("eab").get("configured").asBoolean()).isTrue();
        assertThat(eab.get("eab").get("keyId").asText()).isEqualTo(KID);
        assertThat(eab.get("keyType").asText()).isEqualTo("EC_P256");
        assertThat(eab.get("preferredChain").asText()).isEqualTo(commonName(alternateRoot));
        assertThat(eab.get("contactEmail").asText()).isEqualTo("ops@certflow.test");
        assertThat(eab.get("account").get("url").asText()).startsWith(pebble.directoryUrl().replace("/dir", "/my-account/"));
        assertThat(eab.get("account").get("keyAlgorithm").asText()).isEqualTo("EC_P256");
        assertThat(eab.get("account").get("registeredAt").asText()).isNotBlank();
        assertThat(eab.get("rateLimit").get("newOrders").asInt()).isEqualTo(300);
        assertThat(eab.get("rateLimit").get("used").asInt()).isEqualTo(1);
        assertThat(eab.get("rateLimit").get("waiting").asInt()).isZero();
        JsonNode rsaView = api().get("/api/v1/ca-profiles/rsa", "key-a").json(200);
        assertThat(rsaView.get("keyType").asText()).isEqualTo("RSA_2048");
        assertThat(rsaView.get("rateLimit").get("newOrders").asInt()).isEqualTo(7);
        assertThat(rsaView.get("rateLimit").get("window").asText()).isEqualTo("PT1H");
        JsonNode other = api().get("/api/v1/ca-profiles/eab", "key-b").json(200);
        // another account sees only its own ACME account (account-b has one only if the rollover test ran first)
        assertThat(absent(other, "account") || !other.get("account").get("url").equals(eab.get("account").get("url")))
                .as("account-b does not see account-a's ACME account").isTrue();
        api().get("/api/v1/ca-profiles/nope", "key-a").assertProblem(404, "no CA profile nope");
        api().get("/api/v1/ca-profiles", null).assertProblem(401, "X-Api-Key");

        assertThat(meters.get("certflow.issuance.rate_limit.orders_in_window").tag("profile", "eab").gauge().value())
                .as("orders in the window of profile eab, all accounts").isGreaterThanOrEqualTo(1.0);
        assertThat(meters.get("certflow.issuance.rate_limit.waiting").tag("profile", "rsa").gauge().value()).isZero();

        assertThat(list.toString() + eab + output.getAll()).doesNotContain(HMAC).doesNotContain(WRONG_HMAC);
        assertThat(mongo.getCollection("acme_accounts").find().into(new java.util.ArrayList<>()).toString())
                .doesNotContain(HMAC);
    }

    @Test
    void aWrongBindingAndAnAcmeProfileTheCaDoesNotOfferEndInFinalFailures_nothingStuck(CapturedOutput output) {
        String wrong = request("account-a", "wrong-eab");
        String shortLived = request("account-a", "short");

        IssuanceFailed bindingFailed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(wrong), ISSUANCE);
        assertThat(bindingFailed.retryable()).isFalse();
        assertThat(bindingFailed.problemType()).startsWith("urn:ietf:params:acme:error:");
        assertThat(bindingFailed.reason()).contains("external account binding of key id '" + KID + "'")
                .doesNotContain(WRONG_HMAC).doesNotContain(HMAC);

        IssuanceFailed profileFailed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(shortLived), ISSUANCE);
        assertThat(profileFailed.retryable()).isFalse();
        assertThat(profileFailed.problemType()).isEqualTo("urn:certflow:issuance:ca:acme-profile-not-offered");
        assertThat(profileFailed.reason()).contains("'shortlived'");

        for (String certificateId : List.of(wrong, shortLived)) {
            assertThat(mongo.find(Query.query(where("certificateId").is(certificateId)), IssuanceAttempt.class))
                    .singleElement().satisfies(a -> assertThat(a.getState()).isEqualTo(AttemptState.FAILED));
        }
        assertThat(topics.all(ChallengeRequested.class)).noneMatch(e -> e.certificateId().equals(wrong)
                || e.certificateId().equals(shortLived));
        assertThat(output.getAll()).doesNotContain(WRONG_HMAC).doesNotContain(HMAC);
    }

    @Test
    void aKeyRolloverKeepsTheAccountUrl_andTheNextIssuanceSignsWithTheNewKey() throws Exception {
        api().post("/api/v1/ca-profiles/eab/account/key-rollover", "key-b", "{}")
                .assertProblem(409, "no ACME account");
        api().post("/api/v1/ca-profiles/nope/account/key-rollover", "key-b", "{}")
                .assertProblem(404, "no CA profile nope");

        awaitIssued(request("account-b", "eab"));
        JsonNode before = api().get("/api/v1/ca-profiles/eab", "key-b").json(200).get("account");
        assertThat(absent(before, "lastKeyRollover")).isTrue();
        String keyBefore = mongo.findById(AcmeAccountRecord.idOf("account-b", "eab"), AcmeAccountRecord.class).getPublicKey();

        JsonNode after = api().post("/api/v1/ca-profiles/eab/account/key-rollover", "key-b", "{}").json(200);

        assertThat(after.get("url").asText()).isEqualTo(before.get("url").asText());
        assertThat(after.get("lastKeyRollover").asText()).isNotBlank();
        assertThat(after.get("rolloverPending").asBoolean()).isFalse();
        AcmeAccountRecord record = mongo.findById(AcmeAccountRecord.idOf("account-b", "eab"), AcmeAccountRecord.class);
        assertThat(record.getPublicKey()).isNotEqualTo(keyBefore);
        assertThat(record.hasPendingKey()).isFalse();
        assertThat(record.getAccountUrl()).isEqualTo(before.get("url").asText());

        CertificateIssued next = awaitIssued(request("account-b", "eab"));
        assertThat(next.accountId()).isEqualTo("account-b");
        assertThat(mongo.findById(AcmeAccountRecord.idOf("account-b", "eab"), AcmeAccountRecord.class).getAccountUrl())
                .as("no new account was registered").isEqualTo(before.get("url").asText());
    }

    private String request(String accountId, String caProfile) {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> domains = List.of(certificateId + ".demo.certflow.test");
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), accountId, certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, null, true, caProfile, null));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), accountId, certificateId,
                domains.stream().map(d -> new DomainsVerified.VerifiedDomain(d, "CNAME_DELEGATION", "x.acme.certflow.test."))
                        .toList()));
        return certificateId;
    }

    /** A null field is left out of the JSON. */
    private static boolean absent(JsonNode node, String field) {
        return node.path(field).isMissingNode() || node.path(field).isNull();
    }

    private ApiClient api() {
        return ApiClient.onPort(port);
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String commonName(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString())
                    .findFirst().orElseThrow();
        } catch (javax.naming.InvalidNameException e) {
            throw new IllegalStateException(e);
        }
    }

    private CertificateIssued awaitIssued(String certificateId) throws Exception {
        return answering().awaitIssued(certificateId, e -> true, ISSUANCE,
                () -> "attempts: " + mongo.find(new Query(), IssuanceAttempt.class) + "\n" + Files.readString(pebble.logFile()));
    }

    /** One per test: it remembers which challenges it answered, so that an old one is never answered again. */
    private ChallengeAnswering answering() {
        if (answering == null) {
            answering = new ChallengeAnswering(topics, bind);
        }
        return answering;
    }
}
