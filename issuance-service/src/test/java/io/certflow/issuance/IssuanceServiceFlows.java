package io.certflow.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.AriEndpoint;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.StackConfig;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.RenewalDue;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.KeyEncoding;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import org.bson.Document;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * issuance-service end to end on a real Kafka broker, the Mongo wire server and devstack's real Pebble that
 * validates DNS-01 against devstack's BIND, authoritative for {@code demo.certflow.test.}. The test plays
 * verification-service: it publishes every requested TXT value in BIND and answers with {@code ChallengeReady}.
 * The CA profile's directory is devstack's {@link AriEndpoint}: Pebble's own directory plus RFC 9773 renewal
 * information (which Pebble 2.4 lacks), so every certificate also gets the CA's renewal window.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class IssuanceServiceFlows {

    private static final Duration ISSUANCE = Duration.ofSeconds(60);
    @TempDir
    static Path stackDir;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    private static AriEndpoint ari;

    @Autowired
    TopicProbe topics;
    private ChallengeAnswering answering;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void ca(DynamicPropertyRegistry registry) throws Exception {
        if (pebble == null) {
            StackConfig stack = StackConfig.forTests(stackDir, EnumSet.of(Component.BIND, Component.PEBBLE));
            bind = new BindProcess(stack);
            bind.start();
            pebble = new PebbleProcess(stack);
            pebble.start();
            ari = AriEndpoint.start(pebble);
            ari.retryAfter(Duration.ofSeconds(1));
        }
        registry.add("certflow.issuance.ca.directory-url", ari::directoryUrl);
        registry.add("certflow.issuance.renewal-info.refresh-interval", () -> "200ms");
        registry.add("certflow.issuance.renewal-info.min-check-interval", () -> "1s");
        registry.add("certflow.issuance.first-issuance-retry.initial-backoff", () -> "2s");
        registry.add("certflow.issuance.first-issuance-retry.check-interval", () -> "500ms");
        registry.add("certflow.issuance.ca.trusted-certificate", () -> pebble.caCertificate().toString());
        ChallengeAnswering.quickIssuance(registry);
    }

    @AfterAll
    static void stopPebbleAndBind() {
        if (ari != null) {
            ari.close();
            ari = null;
        }
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
    void issuesRenewsAndCollapsesDuplicates() throws Exception {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        String base = certificateId + ".demo.certflow.test";
        List<String> domains = List.of(base, "www." + base);
        CertificateRequested requested = new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a",
                certificateId, "ord-" + certificateId, domains, "dv-single", 1, Instant.now().plus(Duration.ofDays(365)),
                true, null, "EC_P256");
        DomainsVerified verified = new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                domains.stream().map(d -> new DomainsVerified.VerifiedDomain(d, "CNAME_DELEGATION", "x.acme.certflow.test.")).toList());

        topics.publish(requested);
        topics.publish(verified);

        // first issuance
        CertificateIssued first = awaitIssued(certificateId, e -> true);
        assertThat(first.accountId()).isEqualTo("account-a");
        assertThat(first.domains()).containsExactlyInAnyOrderElementsOf(domains);
        assertThat(first.replacesSerialNumber()).isNull();
        assertThat(first.serialNumber()).matches("[0-9a-f]+").doesNotStartWith("0");
        assertThat(first.fingerprintSha256()).matches("[0-9a-f]{64}");
        assertThat(first.certificateChainPem()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE");
        assertThat(first.hasRenewalWindow()).as("the CA's ARI window").isTrue();
        assertThat(first.renewalWindowStart()).isAfter(first.notBefore());
        assertThat(first.renewalWindowEnd()).isAfter(first.renewalWindowStart()).isBefore(first.notAfter());
        assertThat(first.renewalExplanationUrl()).isEqualTo(AriEndpoint.DEFAULT_EXPLANATION_URL);

        JsonNode bundle = api().getInternal("/internal/v1/certificates/" + certificateId + "/versions/" + first.serialNumber()
                + "/bundle", "test-internal-token").json(200);
        CertificateChain chain = CertificateChain.parse(bundle.get("certificateChainPem").asText());
        assertThat(chain.serialNumber()).isEqualTo(first.serialNumber());
        assertThat(chain.fingerprintSha256()).isEqualTo(first.fingerprintSha256());
        String privateKeyPem = bundle.get("privateKeyPem").asText();
        PrivateKey key = KeyEncoding.privateKey("EC", KeyEncoding.pemBody(privateKeyPem, "PRIVATE KEY"));
        assertThat(signsFor(key, chain)).as("the bundle's key matches the certificate").isTrue();

        Document storedVersion = mongo.getCollection("certificate_versions")
                .find(new Document("_id", certificateId + ":" + first.serialNumber())).first();
        assertThat(storedVersion).isNotNull();
        String keyBody = Base64.getEncoder().encodeToString(key.getEncoded());
        assertThat(storedVersion.toJson()).doesNotContain(keyBody).doesNotContain(keyBody.substring(10, 50))
                .doesNotContain("PRIVATE KEY");
        assertThat(mongo.getCollection("issuance_attempts").find().into(new java.util.ArrayList<>()).toString())
                .doesNotContain(keyBody.substring(10, 50));

        assertThat(mongo.indexOps(IssuanceAttempt.class).getIndexInfo())
                .anySatisfy(index -> {
                    assertThat(index.isUnique()).isTrue();
                    assertThat(index.getIndexFields()).singleElement()
                            .satisfies(field -> assertThat(field.getKey()).isEqualTo("triggerEventId"));
                });

        // the caller's view, scoped to its account
        JsonNode attempts = api().get("/api/v1/certificates/" + certificateId + "/attempts", "key-a").json(200);
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("state").asText()).isEqualTo("ISSUED");
        assertThat(attempts.get(0).get("serialNumber").asText()).isEqualTo(first.serialNumber());
        assertThat(attempts.get(0).toString()).doesNotContain("certificateKey").doesNotContain(keyBody.substring(10, 50));
        api().get("/api/v1/certificates/" + certificateId + "/attempts", "key-b")
                .assertProblem(404, "no certificate " + certificateId);
        api().get("/internal/v1/certificates/" + certificateId + "/versions/" + first.serialNumber() + "/bundle", "key-a")
                .assertProblem(401, "X-Internal-Token");
        api().getInternal("/internal/v1/certificates/" + certificateId + "/versions/ff/bundle", "test-internal-token")
                .assertProblem(404, "no version ff of certificate " + certificateId);

        // duplicates and a late second verification change nothing
        topics.publish(verified);
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId, verified.domains()));
        topics.republishAll(t -> t.equals(io.certflow.events.Topics.CHALLENGE_READY));
        assertStaysAt(certificateId, 1, 1);

        // renewal
        RenewalDue renewal = new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                first.serialNumber(), Instant.now(), "test renewal", false);
        topics.publish(renewal);
        CertificateIssued second = awaitIssued(certificateId, e -> first.serialNumber().equals(e.replacesSerialNumber()));
        assertThat(second.serialNumber()).isNotEqualTo(first.serialNumber());
        assertThat(second.attemptId()).isNotEqualTo(first.attemptId());
        JsonNode secondBundle = api().getInternal("/internal/v1/certificates/" + certificateId + "/versions/"
                + second.serialNumber() + "/bundle", "test-internal-token").json(200);
        PrivateKey secondKey = KeyEncoding.privateKey("EC",
                KeyEncoding.pemBody(secondBundle.get("privateKeyPem").asText(), "PRIVATE KEY"));
        assertThat(secondKey.getEncoded()).as("a new key at every renewal").isNotEqualTo(key.getEncoded());
        assertThat(signsFor(secondKey, CertificateChain.parse(secondBundle.get("certificateChainPem").asText()))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.serialNumber().equals(mongo.getCollection("certificates")
                .find(new Document("_id", certificateId)).first().getString("currentSerialNumber")));

        // the same RenewalDue, DomainsVerified and ChallengeReady again: still two attempts, two certificates
        topics.publish(renewal);
        topics.publish(verified);
        topics.republishAll(t -> t.equals(io.certflow.events.Topics.CHALLENGE_READY)
                || t.equals(io.certflow.events.Topics.RENEWAL_DUE));
        assertStaysAt(certificateId, 2, 2);
        assertThat(topics.all(IssuanceFailed.class)).noneMatch(e -> e.certificateId().equals(certificateId));
    }

    @Test
    void aCertificateThatKeepsItsKeyIsRenewedWithTheSameKey() throws Exception {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> domains = List.of(certificateId + ".demo.certflow.test");
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, Instant.now().plus(Duration.ofDays(365)), true, null,
                "EC_P256", true));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                domains.stream().map(d -> new DomainsVerified.VerifiedDomain(d, "CNAME_DELEGATION", "x.acme.certflow.test.")).toList()));
        CertificateIssued first = awaitIssued(certificateId, e -> true);

        topics.publish(new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", certificateId, first.serialNumber(),
                Instant.now(), "test renewal", false));
        CertificateIssued second = awaitIssued(certificateId, e -> first.serialNumber().equals(e.replacesSerialNumber()));

        assertThat(second.serialNumber()).isNotEqualTo(first.serialNumber());
        assertThat(CertificateChain.parse(second.certificateChainPem()).leaf().getPublicKey())
                .as("reuseKey: the renewed certificate certifies the same key")
                .isEqualTo(CertificateChain.parse(first.certificateChainPem()).leaf().getPublicKey());
        String firstKey = api().getInternal("/internal/v1/certificates/" + certificateId + "/versions/" + first.serialNumber()
                + "/bundle", "test-internal-token").json(200).get("privateKeyPem").asText();
        String secondKey = api().getInternal("/internal/v1/certificates/" + certificateId + "/versions/" + second.serialNumber()
                + "/bundle", "test-internal-token").json(200).get("privateKeyPem").asText();
        assertThat(secondKey).isEqualTo(firstKey);
    }

    @Test
    void unpublishableChallengesFailRetryably_aNewVerificationRetries_andCancellationStopsEverything() {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> domains = List.of(certificateId + ".demo.certflow.test");
        DomainsVerified verified = new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                List.of(new DomainsVerified.VerifiedDomain(domains.get(0), "DNS_PROVIDER", null)));

        // verification may overtake the request: the attempt starts once both are known
        topics.publish(verified);
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, null, true, null, null));
        ChallengeRequested challenge = topics.await(ChallengeRequested.class, e -> e.certificateId().equals(certificateId),
                ISSUANCE);

        // another account cannot answer for this attempt
        topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-b", certificateId,
                challenge.attemptId(), true, null));
        assertThat(topics.awaitDeadLetters(io.certflow.events.Topics.CHALLENGE_READY, 1, Duration.ofSeconds(30)))
                .anySatisfy(r -> assertThat(r.key()).isEqualTo(certificateId));

        topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                challenge.attemptId(), false, "the delegation CNAME of " + domains.get(0) + " is gone"));
        IssuanceFailed failed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(certificateId), ISSUANCE);
        assertThat(failed.attemptId()).isEqualTo(challenge.attemptId());
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.reason()).contains("delegation CNAME");

        // a later verification starts a new attempt, which a cancellation stops
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId, verified.domains()));
        ChallengeRequested second = topics.await(ChallengeRequested.class,
                e -> e.certificateId().equals(certificateId) && !e.attemptId().equals(challenge.attemptId()), ISSUANCE);
        topics.publish(new io.certflow.events.v1.OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, "customer cancelled", false));
        await().atMost(Duration.ofSeconds(30)).until(() -> mongo.findById(second.attemptId(), IssuanceAttempt.class)
                .getState() == AttemptState.CANCELLED);

        // answers and triggers after the cancellation change nothing
        topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                second.attemptId(), true, null));
        topics.publish(new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", certificateId, "abc", Instant.now(),
                "test", true));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId, verified.domains()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                mongo.count(Query.query(where("certificateId").is(certificateId)), IssuanceAttempt.class) == 2
                        && mongo.findById(second.attemptId(), IssuanceAttempt.class).getState() == AttemptState.CANCELLED);
        assertThat(topics.all(CertificateIssued.class)).noneMatch(e -> e.certificateId().equals(certificateId));
        assertThat(topics.all(IssuanceFailed.class).stream().filter(e -> e.certificateId().equals(certificateId))).hasSize(1);
    }

    /** Nothing but issuance-service would ever try again: without the retry the certificate waited for ever. */
    @Test
    void aFirstIssuanceThatFailedRetryablyIsTriedAgainByItself_once() throws Exception {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> domains = List.of(certificateId + ".demo.certflow.test");
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, null, true, null, null));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                List.of(new DomainsVerified.VerifiedDomain(domains.get(0), "CNAME_DELEGATION", "x.acme.certflow.test."))));
        ChallengeRequested first = topics.await(ChallengeRequested.class, e -> e.certificateId().equals(certificateId),
                ISSUANCE);
        topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                first.attemptId(), false, "SERVFAIL from the delegation zone's server"));
        IssuanceFailed failed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(certificateId), ISSUANCE);
        assertThat(failed.retryable()).isTrue();

        ChallengeRequested retry = topics.await(ChallengeRequested.class,
                e -> e.certificateId().equals(certificateId) && !e.attemptId().equals(first.attemptId()), ISSUANCE);
        retry.challenges().stream().collect(java.util.stream.Collectors.groupingBy(ChallengeRequested.DnsChallenge::recordName,
                        java.util.stream.Collectors.mapping(ChallengeRequested.DnsChallenge::txtValue,
                                java.util.stream.Collectors.toList())))
                .forEach(bind::addTxt);
        topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                retry.attemptId(), true, null));
        CertificateIssued issued = topics.await(CertificateIssued.class, e -> e.certificateId().equals(certificateId),
                ISSUANCE);

        assertThat(issued.attemptId()).isEqualTo(retry.attemptId());
        assertThat(mongo.findById(first.attemptId(), IssuanceAttempt.class).getRetryDecidedAt()).isNotNull();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                mongo.count(Query.query(where("certificateId").is(certificateId)), IssuanceAttempt.class) == 2);
        assertThat(topics.all(CertificateIssued.class).stream().filter(e -> e.certificateId().equals(certificateId)))
                .hasSize(1);
    }

    @Test
    void revokesAVersionAtTheCaOnce_andAuditsEveryKeyRead(CapturedOutput output) throws Exception {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        CertificateIssued issued = requestAndIssue(certificateId);
        String serial = issued.serialNumber();
        String bundlePath = "/internal/v1/certificates/" + certificateId + "/versions/" + serial + "/bundle";

        // every key read is one audit line: who, which certificate and serial, when; never the key
        HttpResponse<String> named = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + bundlePath))
                .header("X-Internal-Token", "test-internal-token").header("X-Caller", "deployment-service").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(named.statusCode()).isEqualTo(200);
        String privateKeyPem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(named.body())
                .get("privateKeyPem").asText();
        api().getInternal(bundlePath, "test-internal-token").json(200);
        String keyBody = Base64.getEncoder().encodeToString(KeyEncoding.pemBody(privateKeyPem, "PRIVATE KEY"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> auditLines = output.getAll().lines()
                    .filter(l -> l.contains("certflow.audit") && l.contains("certificateId=" + certificateId)).toList();
            assertThat(auditLines).hasSize(2);
            assertThat(auditLines.get(0)).contains("private key read: caller=deployment-service certificateId="
                    + certificateId + " serialNumber=" + serial + " at=20");
            assertThat(auditLines.get(1)).contains("caller=unknown certificateId=" + certificateId + " serialNumber=" + serial);
        });
        assertThat(output.getAll()).doesNotContain(keyBody.substring(10, 50)).doesNotContain("BEGIN PRIVATE KEY");

        // bad requests and other accounts change nothing
        String revokePath = "/api/v1/certificates/" + certificateId + "/versions/" + serial + "/revoke";
        api().post(revokePath, "key-a", Map.of("reason", "becauseISaySo"))
                .assertProblem(400, "unknown reason 'becauseISaySo'; allowed reasons (RFC 5280): unspecified, keyCompromise, "
                        + "affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn");
        api().post(revokePath, "key-a", Map.of()).assertProblem(400, "reason is missing");
        api().post(revokePath, "key-b", Map.of("reason", "keyCompromise"))
                .assertProblem(404, "no version " + serial + " of certificate " + certificateId);
        api().post("/api/v1/certificates/" + certificateId + "/versions/ff/revoke", "key-a", Map.of("reason", "keyCompromise"))
                .assertProblem(404, "no version ff of certificate " + certificateId);
        assertThat(topics.all(CertificateRevoked.class)).noneMatch(e -> e.certificateId().equals(certificateId));

        // the owner revokes: the CA accepts, the version records it, CertificateRevoked is published
        JsonNode revoked = api().post(revokePath, "key-a", Map.of("reason", "keyCompromise")).json(200);
        assertThat(revoked.get("serialNumber").asText()).isEqualTo(serial);
        assertThat(revoked.get("reason").asText()).isEqualTo("keyCompromise");
        CertificateRevoked event = topics.await(CertificateRevoked.class, e -> e.certificateId().equals(certificateId),
                Duration.ofSeconds(30));
        assertThat(event.accountId()).isEqualTo("account-a");
        assertThat(event.serialNumber()).isEqualTo(serial);
        assertThat(event.reason()).isEqualTo("keyCompromise");
        assertThat(event.revokedAt()).isEqualTo(Instant.parse(revoked.get("revokedAt").asText()));
        Document version = mongo.getCollection("certificate_versions")
                .find(new Document("_id", certificateId + ":" + serial)).first();
        assertThat(version.getString("revocationReason")).isEqualTo("keyCompromise");
        assertThat(version.get("revokedAt")).isNotNull();

        // again: certflow knows, the CA is not asked
        api().post(revokePath, "key-a", Map.of("reason", "superseded"))
                .assertProblem(409, "was revoked already at ");

        // the CA itself holds the revocation: with certflow's record lost, the CA answers alreadyRevoked
        mongo.getCollection("certificate_versions").updateOne(new Document("_id", certificateId + ":" + serial),
                new Document("$unset", new Document("revokedAt", "").append("revocationReason", "")));
        api().post(revokePath, "key-a", Map.of("reason", "keyCompromise"))
                .assertProblem(409, "urn:ietf:params:acme:error:alreadyRevoked");
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.all(CertificateRevoked.class).stream()
                .filter(e -> e.certificateId().equals(certificateId)).count() == 2);
        assertThat(mongo.getCollection("certificate_versions").find(new Document("_id", certificateId + ":" + serial))
                .first().getString("revocationReason")).isEqualTo("keyCompromise");
    }

    @Test
    void aRefundRevokesEveryLiveVersionAtTheCaOnce_aPlainCancellationRevokesNothing() throws Exception {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        CertificateIssued first = requestAndIssue(certificateId);
        topics.publish(new RenewalDue(UUID.randomUUID(), Instant.now(), "account-a", certificateId, first.serialNumber(),
                Instant.now(), "test renewal", false));
        CertificateIssued second = awaitIssued(certificateId, e -> first.serialNumber().equals(e.replacesSerialNumber()));
        assertThat(pebbleStatus(first.serialNumber())).contains("\"status\":\"valid\"");

        // a refund: both versions are still valid, both are revoked at the CA
        io.certflow.events.v1.OrderCancelled refund = new io.certflow.events.v1.OrderCancelled(UUID.randomUUID(),
                Instant.now(), "account-a", certificateId, "ord-" + certificateId, "refunded", true);
        topics.publish(refund);
        await().atMost(Duration.ofSeconds(30)).until(() -> revocationsOf(certificateId).size() == 2);
        assertThat(revocationsOf(certificateId)).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo("cessationOfOperation");
            assertThat(e.accountId()).isEqualTo("account-a");
        }).extracting(CertificateRevoked::serialNumber)
                .containsExactlyInAnyOrder(first.serialNumber(), second.serialNumber());
        for (String serial : List.of(first.serialNumber(), second.serialNumber())) {
            Document version = mongo.getCollection("certificate_versions")
                    .find(new Document("_id", certificateId + ":" + serial)).first();
            assertThat(version.getString("revocationReason")).isEqualTo("cessationOfOperation");
            assertThat(version.get("revokedAt")).isNotNull();
            assertThat(version.get("nextRevocationTryAt")).isNull();
            // Pebble's own record: revoked, RFC 5280 reason code 5 (cessationOfOperation)
            assertThat(pebbleStatus(serial)).contains("\"status\":\"revoked\"").contains("\"reason\":5");
        }
        // the owner's endpoint sees the same record (one implementation)
        api().post("/api/v1/certificates/" + certificateId + "/versions/" + second.serialNumber() + "/revoke", "key-a",
                Map.of("reason", "keyCompromise")).assertProblem(409, "(cessationOfOperation)");

        // the refund again, and a second cancellation asking for revocation: nothing is revoked twice
        topics.publish(refund);
        topics.publish(new io.certflow.events.v1.OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a",
                certificateId, "ord-" + certificateId, "refunded again", true));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> revocationsOf(certificateId).size() == 2);

        // a cancellation without revoke leaves the live certificate alone
        String kept = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        CertificateIssued keptIssued = requestAndIssue(kept);
        topics.publish(new io.certflow.events.v1.OrderCancelled(UUID.randomUUID(), Instant.now(), "account-a", kept,
                "ord-" + kept, "customer cancelled", false));
        await().atMost(Duration.ofSeconds(10)).until(() -> mongo.getCollection("certificates")
                .find(new Document("_id", kept)).first().getBoolean("cancelled", false));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> revocationsOf(kept).isEmpty());
        assertThat(mongo.getCollection("certificate_versions").find(new Document("_id", kept + ":" + keptIssued.serialNumber()))
                .first().get("revocationRequestedAt")).isNull();
        assertThat(pebbleStatus(keptIssued.serialNumber())).contains("\"status\":\"valid\"");
    }

    /** Requests {@code <certificateId>.demo.certflow.test} for account-a, verified by CNAME, and awaits its first issuance. */
    private CertificateIssued requestAndIssue(String certificateId) throws Exception {
        List<String> domains = List.of(certificateId + ".demo.certflow.test");
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, null, true, null, "EC_P256"));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                List.of(new DomainsVerified.VerifiedDomain(domains.get(0), "CNAME_DELEGATION", "x.acme.certflow.test."))));
        return awaitIssued(certificateId, e -> true);
    }

    private List<CertificateRevoked> revocationsOf(String certificateId) {
        return topics.all(CertificateRevoked.class).stream().filter(e -> e.certificateId().equals(certificateId)).toList();
    }

    /**
     * What Pebble's management interface says of one serial ({@code /cert-status-by-serial/}: status, reason), as
     * compact lower-case JSON.
     */
    private static String pebbleStatus(String serialHex) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(pebble.sslContext()).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create(pebble.managementUrl() + "/cert-status-by-serial/" + serialHex)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).toString()
                .toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void aRenewalWindowTheCaMovesIsPublishedOnce() throws Exception {
        String certificateId = "crt-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> domains = List.of(certificateId + ".demo.certflow.test");
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, Instant.now().plus(Duration.ofDays(365)), true, null,
                "EC_P256"));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                domains.stream().map(d -> new DomainsVerified.VerifiedDomain(d, "CNAME_DELEGATION", "x.acme.certflow.test.")).toList()));
        CertificateIssued issued = awaitIssued(certificateId, e -> true);
        assertThat(issued.hasRenewalWindow()).isTrue();

        // the CA plans to revoke: its window moves into the next hours
        Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ari.suggest(issued.serialNumber(), start, start.plus(Duration.ofHours(3)), "https://ca.test/incident-7");

        RenewalWindowChanged changed = topics.await(RenewalWindowChanged.class,
                e -> e.certificateId().equals(certificateId), Duration.ofSeconds(30));
        assertThat(changed.serialNumber()).isEqualTo(issued.serialNumber());
        assertThat(changed.accountId()).isEqualTo("account-a");
        assertThat(changed.windowStart()).isEqualTo(start);
        assertThat(changed.windowEnd()).isEqualTo(start.plus(Duration.ofHours(3)));
        assertThat(changed.explanationUrl()).isEqualTo("https://ca.test/incident-7");
        int asked = ari.answered(issued.serialNumber());
        await().atMost(Duration.ofSeconds(20)).until(() -> ari.answered(issued.serialNumber()) >= asked + 2);
        assertThat(topics.all(RenewalWindowChanged.class).stream().filter(e -> e.certificateId().equals(certificateId)))
                .as("asked again, unchanged: no second event").hasSize(1);
    }

    private void assertStaysAt(String certificateId, long attempts, long issued) {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                mongo.count(Query.query(where("certificateId").is(certificateId)), IssuanceAttempt.class) == attempts
                        && topics.all(CertificateIssued.class).stream().filter(e -> e.certificateId().equals(certificateId)).count() == issued
                        && mongo.count(Query.query(where("certificateId").is(certificateId).and("state").ne(AttemptState.ISSUED)),
                        IssuanceAttempt.class) == 0);
    }

    private static boolean signsFor(PrivateKey key, CertificateChain chain) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update("certflow".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(chain.leaf().getPublicKey());
        verifier.update("certflow".getBytes());
        return verifier.verify(signature);
    }

    private ApiClient api() {
        return ApiClient.onPort(port);
    }

    /** Plays verification-service for {@code certificateId} until a matching CertificateIssued appears. */
    private CertificateIssued awaitIssued(String certificateId, Predicate<CertificateIssued> matching) throws Exception {
        return answering().awaitIssued(certificateId, matching, ISSUANCE,
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
