package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;
import io.certflow.devstack.faults.Faults;
import io.certflow.devstack.faults.RecoveryTimings;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The infrastructure fails under the platform while certificates are in flight, on real processes: the Kafka broker
 * stopped for 20 s and started again (same port, same log), the Mongo wire server restarted (same H2 file), BIND
 * down while a challenge is published through it, nginx down while a renewal is deployed to it, and Pebble
 * unreachable for two minutes. Each case ends with every certificate issued by one ACME order (counted at the
 * {@link CaGate}); the class ends with nothing lost, nothing duplicated, nothing dead-lettered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureFaultsIT {

    private static final Duration STEP = Duration.ofSeconds(120);
    /** A restart on a loaded CI machine (two cores, other builds) took up to 80 s. */
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration CA_OUTAGE = Duration.ofMinutes(2);

    @TempDir
    static Path home;

    static PlatformUnderTest platform;
    static Faults faults;
    static CaGate gate;
    static TopicProbe topics;
    static Customer customer;
    static Outcomes outcomes;
    /** certificateId → its domains, for every certificate this class requested. */
    static final Map<String, List<String>> requested = new HashMap<>();
    static String servedCertificate;

    @BeforeAll
    static void startThePlatformAndDeployOneCertificateToNginx() {
        platform = PlatformUnderTest.startBehindGate(RecoveryTimings.apply(StackConfig.forTests(home, Component.ALL)
                .withStartTimeout(RESTART_TIMEOUT)));
        faults = platform.faults();
        gate = platform.gate();
        topics = platform.topics();
        customer = new Customer(platform);
        outcomes = new Outcomes(topics);

        customer.delegate(StackConfig.DEMO_DOMAIN);
        servedCertificate = customer.order(List.of(StackConfig.DEMO_DOMAIN));
        requested.put(servedCertificate, List.of(StackConfig.DEMO_DOMAIN));
        CertificateIssued issued = topics.await(CertificateIssued.class, i -> i.certificateId().equals(servedCertificate), STEP);
        customer.awaitHosted(servedCertificate, s -> true, STEP);
        JsonNode job = customer.awaitJobEnded(customer.deployToNginx(servedCertificate), STEP);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        customer.assertNginxServes(issued.serialNumber());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            System.out.println("[faults] " + faults.history());
            platform.close();
        }
    }

    @Test
    @Order(1)
    void kafkaStoppedForTwentySecondsMidFlow_everyCertificateIsIssuedOnce() {
        List<String> domains = delegatedDomains("kafka", 3);
        CaGate.Hold firstOrder = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE,
                CaGate.identifiers(List.of(domains.get(0))));
        List<String> certificates = new ArrayList<>();
        for (String domain : domains.subList(0, 2)) {
            certificates.add(order(domain));
        }
        firstOrder.awaitArrived(STEP);

        faults.stop(Component.KAFKA);
        firstOrder.release();
        Instant down = Instant.now();
        // a purchase while the broker is down is taken: its request waits in order-service's outbox
        certificates.add(order(domains.get(2)));
        Customer.sleep(Math.max(0, 20_000 - Duration.between(down, Instant.now()).toMillis()));
        Duration ready = faults.start(Component.KAFKA);
        System.out.printf("[kafka] down %d s, ready again after %d ms%n",
                Duration.between(down, Instant.now()).toSeconds(), ready.toMillis());

        assertIssuedOnceEach(certificates);
    }

    @Test
    @Order(2)
    void mongoWireServerRestartedMidFlow_everyCertificateIsIssuedOnce() {
        List<String> domains = delegatedDomains("mongo", 3);
        CaGate.Hold firstOrder = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE,
                CaGate.identifiers(List.of(domains.get(0))));
        List<String> certificates = domains.stream().map(InfrastructureFaultsIT::order).toList();
        firstOrder.awaitArrived(STEP);

        faults.stop(Component.MONGO);
        firstOrder.release(); // issuance-service stores the order while its database is down
        Customer.sleep(3000);
        faults.start(Component.MONGO);

        assertIssuedOnceEach(certificates);
    }

    @Test
    @Order(3)
    void bindDownWhileAChallengeIsPublishedThroughIt_verificationWaitsThenTheCertificateIsIssued() {
        String domain = Customer.newDomain("bind");
        setUpDnsProvider(domain);
        CaGate.Hold orderAnswer = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE,
                CaGate.identifiers(List.of(domain)));
        String certificateId = order(domain);
        orderAnswer.awaitArrived(STEP);

        faults.stop(Component.BIND);
        orderAnswer.release();
        topics.await(ChallengeRequested.class, c -> c.certificateId().equals(certificateId), STEP);
        Customer.sleep(10_000);
        assertThat(topics.all(ChallengeReady.class)).as("no challenge is ready while BIND cannot take the TXT record")
                .noneMatch(r -> r.certificateId().equals(certificateId));
        faults.start(Component.BIND);

        ChallengeReady ready = topics.await(ChallengeReady.class, r -> r.certificateId().equals(certificateId), STEP);
        assertThat(ready.ready()).as("ChallengeReady once BIND is back: " + ready).isTrue();
        assertIssuedOnceEach(List.of(certificateId));
    }

    @Test
    @Order(4)
    void nginxDownDuringTheRenewalsDeployment_theJobTriesAgainAndNginxServesTheRenewal() {
        String before = customer.servedSerial();
        CaGate.Hold download = gate.hold(CaGate.Endpoint.CERTIFICATE, CaGate.Phase.RESPONSE);
        customer.renew(servedCertificate);
        download.awaitArrived(STEP);

        faults.stop(Component.NGINX);
        download.release();
        CertificateIssued renewed = topics.await(CertificateIssued.class, i -> i.certificateId().equals(servedCertificate)
                && Customer.sameSerial(before, i.replacesSerialNumber()), STEP);
        String after = TlsProbe.normalizeSerial(renewed.serialNumber());
        JsonNode running = Customer.awaitValue("the renewal's deployment job to start", STEP, () ->
                customer.jobs(servedCertificate).stream().filter(j -> Customer.sameSerial(j.path("serialNumber").asText(), after))
                        .findFirst().orElse(null));
        Customer.sleep(5000);
        assertThat(topics.all(DeploymentCompleted.class)).as("no outcome while nginx is down: the job tries again")
                .noneMatch(d -> Customer.sameSerial(d.serialNumber(), after));
        faults.start(Component.NGINX);

        // what the user sees: the RENEWAL job SUCCEEDED after several attempts, and nginx serves the renewal
        JsonNode job = customer.awaitJobEnded(running.path("jobId").asText(), STEP);
        assertThat(job.path("status").asText()).as("the renewal's job: " + job).isEqualTo("SUCCEEDED");
        assertThat(job.path("trigger").asText()).isEqualTo("RENEWAL");
        assertThat(job.path("results").get(0).path("attempts").asInt()).as("attempts on the nginx resource").isGreaterThan(1);
        customer.assertNginxServes(after);
        assertThat(customer.jobs(servedCertificate)).as("one job per version: the first and the renewal").hasSize(2);
    }

    @Test
    @Order(5)
    void pebbleUnreachableForTwoMinutes_theCircuitOpensAttemptsParkThenFinish() {
        List<String> domains = delegatedDomains("ca", 3);
        CaGate.Hold firstOrder = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE,
                CaGate.identifiers(List.of(domains.get(0))));
        List<String> certificates = domains.stream().map(InfrastructureFaultsIT::order).toList();
        firstOrder.awaitArrived(STEP);

        faults.caUnreachable();
        firstOrder.release();
        Instant end = Instant.now().plus(CA_OUTAGE);
        Set<String> parked = new HashSet<>();
        boolean circuitSeenOpen = false;
        while (Instant.now().isBefore(end)) {
            for (String certificateId : certificates) {
                for (JsonNode attempt : customer.attempts(certificateId)) {
                    assertThat(attempt.path("state").asText()).as("an attempt while the CA is unreachable: " + attempt)
                            .isNotIn("FAILED", "ISSUED");
                    if (attempt.hasNonNull("waitingForCaSince")) {
                        parked.add(certificateId);
                    }
                }
            }
            circuitSeenOpen |= circuitIs("open");
            Customer.sleep(3000);
        }
        faults.caReachable();
        Instant back = Instant.now();

        assertThat(gate.refusedRequests()).as("requests the unreachable CA dropped").isPositive();
        assertThat(circuitSeenOpen).as("issuance-service's circuit breaker of the CA opened").isTrue();
        assertThat(parked).as("certificates whose attempt was parked (waitingForCaSince)").isNotEmpty();
        assertIssuedOnceEach(certificates);
        assertThat(circuitIs("closed")).as("the circuit closed again").isTrue();
        assertThat(topics.all(IssuanceFailed.class)).as("nothing failed for the outage").isEmpty();
        System.out.printf("[ca] unreachable %d s, %d requests dropped, %d of %d certificates parked; all issued %d s"
                        + " after the CA came back%n", CA_OUTAGE.toSeconds(), gate.refusedRequests(), parked.size(),
                certificates.size(), Duration.between(back, Instant.now()).toSeconds());
    }

    /** Whether issuance-service's metric says the default CA profile's circuit is in this state. */
    private static boolean circuitIs(String state) {
        ApiClient.Response r = platform.api(Component.ISSUANCE_SERVICE).get(
                "/actuator/metrics/resilience4j.circuitbreaker.state?tag=name:ca-default&tag=state:" + state, null);
        return r.status() == 200 && r.json().path("measurements").path(0).path("value").asDouble() == 1.0;
    }

    @Test
    @Order(6)
    void nothingLostNothingDuplicatedNothingDeadLettered() {
        outcomes.awaitNothingLost(STEP);
        requested.forEach((certificateId, domains) -> outcomes.assertOneCertificateIssuedPerAttempt(certificateId));
        outcomes.assertOneDeploymentPerVersion(servedCertificate);
        assertThat(topics.all(IssuanceFailed.class)).isEmpty();
        platform.assertNothingDeadLettered();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static List<String> delegatedDomains(String prefix, int count) {
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String domain = Customer.newDomain(prefix + i);
            customer.delegate(domain);
            domains.add(domain);
        }
        return domains;
    }

    private static String order(String domain) {
        String certificateId = customer.order(List.of(domain));
        requested.put(certificateId, List.of(domain));
        return certificateId;
    }

    /** Each certificate issued, by one ACME order, and hosted. */
    private static void assertIssuedOnceEach(List<String> certificates) {
        for (String certificateId : certificates) {
            CertificateIssued issued = topics.await(CertificateIssued.class, i -> i.certificateId().equals(certificateId), STEP);
            assertThat(customer.awaitHosted(certificateId, s -> true, STEP))
                    .isEqualTo(TlsProbe.normalizeSerial(issued.serialNumber()));
            assertThat(gate.createdOrders(requested.get(certificateId))).as("ACME orders for " + certificateId).isEqualTo(1);
            assertThat(customer.attempts(certificateId)).extracting(a -> a.path("state").asText()).containsExactly("ISSUED");
        }
    }

    /** The account's BIND as an RFC 2136 DNS provider (once), and the domain verified through it. */
    private static void setUpDnsProvider(String domain) {
        StackConfig config = platform.config();
        BindProcess bind = platform.infrastructure().bind();
        ApiClient verification = platform.api(Component.VERIFICATION_SERVICE);
        String credentialId = verification.post("/api/v1/dns-credentials", config.apiKey(), Map.of(
                        "name", "the demo zone's BIND", "provider", "RFC2136",
                        "settings", Map.of("server", "127.0.0.1:" + config.ports().bind(),
                                "keyName", BindProcess.TSIG_KEY_NAME),
                        "secrets", Map.of("tsigSecret", bind.tsigSecret())))
                .json(201).get("id").asText();
        verification.put("/api/v1/domains/" + domain + "/method", config.apiKey(),
                Map.of("method", "DNS_PROVIDER", "credentialId", credentialId)).json(200);
        assertThat(verification.post("/api/v1/domains/" + domain + "/verify", config.apiKey(), "").json(200)
                .path("result").asText()).isEqualTo("VERIFIED");
    }
}
