package io.certflow.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.StackConfig;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xbill.DNS.Type;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The CAA pre-check end to end: issuance-service on a real Kafka broker and the Mongo wire server, asking
 * devstack's real BIND (authoritative for {@code demo.certflow.test.}, recursive for the rest) for CAA before it
 * orders from real Pebble through a {@link CaGate} that counts new-order requests. The {@code ca} block's CA is
 * known as {@value #PEBBLE_IDENTITY}; the profile {@code dir} has no configured identity and takes it from its
 * directory's {@code meta.caaIdentities} ({@value #DIRECTORY_IDENTITY}). The test plays verification-service.
 */
@ServiceIT
class CaaPreCheckServiceIT {

    private static final String PEBBLE_IDENTITY = "pebble.certflow.test";
    private static final String DIRECTORY_IDENTITY = "directory.certflow.test";
    private static final String FORBIDDEN = "urn:certflow:issuance:caa-forbidden";
    private static final Duration ISSUANCE = Duration.ofSeconds(90);

    @TempDir
    static Path stackDir;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    private static CaGate gate;
    private static HttpServer directoryWithCaa;

    @Autowired
    TopicProbe topics;
    private ChallengeAnswering answering;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) throws Exception {
        if (pebble == null) {
            StackConfig stack = StackConfig.forTests(stackDir, EnumSet.of(Component.BIND, Component.PEBBLE));
            bind = new BindProcess(stack);
            bind.start();
            pebble = new PebbleProcess(stack);
            pebble.start();
            gate = CaGate.start(pebble.port(), pebble.sslContext(), stackDir);
            directoryWithCaa = directoryListing(DIRECTORY_IDENTITY);
        }
        ChallengeAnswering.quickIssuance(registry);
        registry.add("certflow.issuance.caa.resolver", bind::address);
        registry.add("certflow.issuance.ca.directory-url", gate::directoryUrl);
        registry.add("certflow.issuance.ca.trusted-certificate", () -> gate.trustedCertificate().toString());
        registry.add("certflow.issuance.ca.caa-identities", () -> PEBBLE_IDENTITY);
        registry.add("certflow.issuance.profiles.dir.directory-url",
                () -> "http://127.0.0.1:" + directoryWithCaa.getAddress().getPort() + "/dir");
        registry.add("certflow.issuance.profiles.dir.trusted-certificate", () -> pebble.caCertificate().toString());
    }

    @AfterAll
    static void stop() {
        if (directoryWithCaa != null) {
            directoryWithCaa.stop(0);
            directoryWithCaa = null;
        }
        if (gate != null) {
            gate.close();
            gate = null;
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
    void aCaaRecordSetOfAParentThatForbidsTheCaEndsTheAttemptFinal_andNoOrderReachesTheCa() {
        bind.addRecord("forbidden.demo.certflow.test.", Type.CAA, "0 issue \"sectigo.com\"");
        String certificateId = newCertificateId();
        List<String> domains = List.of(certificateId + ".forbidden.demo.certflow.test");

        request(certificateId, domains, null);

        IssuanceFailed failed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(certificateId), ISSUANCE);
        assertThat(failed.problemType()).isEqualTo(FORBIDDEN);
        assertThat(failed.retryable()).isFalse();
        assertThat(failed.reason())
                .startsWith("CAA forbids CA profile 'default' (" + PEBBLE_IDENTITY + ") to issue for " + domains.get(0))
                .contains("the CAA record set at forbidden.demo.certflow.test. [0 issue \"sectigo.com\"] allows only"
                        + " sectigo.com to issue certificates")
                .contains("add forbidden.demo.certflow.test. CAA 0 issue \"" + PEBBLE_IDENTITY + "\" to that set");
        assertThat(newOrderRequests(domains)).as("new-order requests at the CA").isZero();
        assertThat(topics.all(ChallengeRequested.class)).noneMatch(e -> e.certificateId().equals(certificateId));
        assertThat(mongo.find(Query.query(where("certificateId").is(certificateId)), IssuanceAttempt.class))
                .singleElement().satisfies(a -> assertThat(a.getState()).isEqualTo(AttemptState.FAILED));
    }

    @Test
    void aCaaRecordSetThatNamesTheCa_inAnyCase_letsItIssue() throws Exception {
        bind.addRecord("allowed.demo.certflow.test.", Type.CAA, "0 issue \"Pebble.Certflow.TEST\"");
        String certificateId = newCertificateId();
        List<String> domains = List.of(certificateId + ".allowed.demo.certflow.test");

        request(certificateId, domains, null);

        CertificateIssued issued = awaitIssued(certificateId);
        assertThat(issued.domains()).containsExactlyElementsOf(domains);
        assertThat(gate.createdOrders(domains)).isEqualTo(1);
    }

    @Test
    void aWildcardIsGovernedByIssuewild_whileTheSameRecordSetLetsTheBaseNameBeIssued() throws Exception {
        String zoneName = "w" + UUID.randomUUID().toString().substring(0, 6) + ".demo.certflow.test";
        bind.addRecord(zoneName + ".", Type.CAA, "0 issuewild \";\"");
        String withWildcard = newCertificateId();
        List<String> both = List.of(zoneName, "*." + zoneName);

        request(withWildcard, both, null);

        IssuanceFailed failed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(withWildcard), ISSUANCE);
        assertThat(failed.problemType()).isEqualTo(FORBIDDEN);
        assertThat(failed.reason()).contains("to issue for *." + zoneName + ":")
                .contains("[0 issuewild \";\"] allows no CA to issue wildcard certificates")
                .contains("add " + zoneName + ". CAA 0 issuewild \"" + PEBBLE_IDENTITY + "\"");
        assertThat(newOrderRequests(both)).isZero();

        String baseOnly = newCertificateId();
        request(baseOnly, List.of(zoneName), null);
        assertThat(awaitIssued(baseOnly).domains()).containsExactly(zoneName);
    }

    @Test
    void aProfileWithoutConfiguredIdentitiesUsesTheCaDirectorys_andTheApiSaysWhere() {
        bind.addRecord("dir.demo.certflow.test.", Type.CAA, "0 issue \"" + PEBBLE_IDENTITY + "\"");
        String certificateId = newCertificateId();

        request(certificateId, List.of(certificateId + ".dir.demo.certflow.test"), "dir");

        IssuanceFailed failed = topics.await(IssuanceFailed.class, e -> e.certificateId().equals(certificateId), ISSUANCE);
        assertThat(failed.problemType()).isEqualTo(FORBIDDEN);
        assertThat(failed.reason()).contains("CA profile 'dir' (" + DIRECTORY_IDENTITY + ")")
                .contains("allows only " + PEBBLE_IDENTITY);

        JsonNode profiles = ApiClient.onPort(port).get("/api/v1/ca-profiles", "key-a").json(200);
        JsonNode byDefault = profiles.get(0);
        assertThat(byDefault.get("name").asText()).isEqualTo("default");
        assertThat(byDefault.get("caa").get("check").asText()).isEqualTo("on");
        assertThat(byDefault.get("caa").get("source").asText()).isEqualTo("configuration");
        assertThat(byDefault.get("caa").get("identities")).extracting(JsonNode::asText).containsExactly(PEBBLE_IDENTITY);
        JsonNode dir = profiles.get(1);
        assertThat(dir.get("caa").get("source").asText()).isEqualTo("directory");
        assertThat(dir.get("caa").has("identities")).as("read from the directory at order time").isFalse();
    }

    /** POSTs to new-order for exactly these identifiers, whatever Pebble answered. */
    private static long newOrderRequests(List<String> domains) {
        Set<String> wanted = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return gate.exchanges().stream().filter(e -> e.endpoint() == CaGate.Endpoint.NEW_ORDER
                && e.identifiers().equals(wanted)).count();
    }

    private static String newCertificateId() {
        return "crt-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void request(String certificateId, List<String> domains, String caProfile) {
        topics.publish(new CertificateRequested(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                "ord-" + certificateId, domains, "dv-single", 1, null, true, caProfile, null));
        topics.publish(new DomainsVerified(UUID.randomUUID(), Instant.now(), "account-a", certificateId,
                domains.stream().map(d -> new DomainsVerified.VerifiedDomain(d, "CNAME_DELEGATION", "x.acme.certflow.test."))
                        .toList()));
    }

    /**
     * Pebble's own directory plus {@code meta.caaIdentities} (Pebble 2.4 publishes none), over plain HTTP on
     * loopback; every other URL in it stays Pebble's.
     */
    private static HttpServer directoryListing(String identity) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ObjectMapper json = new ObjectMapper();
        server.createContext("/dir", exchange -> {
            ObjectNode directory = (ObjectNode) json.readTree(pebble.directoryJson());
            ObjectNode meta = directory.has("meta") ? (ObjectNode) directory.get("meta") : directory.putObject("meta");
            meta.putArray("caaIdentities").add(identity);
            byte[] body = json.writeValueAsBytes(directory);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
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
