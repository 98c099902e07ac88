package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.RenewalDue;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One ACME order per issuance request, whatever happens, against a real Pebble 2.4: issuance-service runs as a real
 * process (its jar, with Kafka, the Mongo wire server, BIND and Pebble from devstack) behind a {@link CaGate} that
 * counts the orders Pebble creates and holds requests or answers so that the test can {@code kill -9} the service
 * exactly between two steps. The test plays verification-service: on {@code ChallengeRequested} it publishes the
 * TXT values in BIND and sends {@code ChallengeReady}.
 *
 * <p>Covered: a kill -9 at each boundary of one flow (the CA created the order but its answer was lost; after
 * {@code ChallengeRequested}; after {@code ChallengeReady} was consumed; after the challenge was triggered; during
 * finalize; during the certificate download; with {@code CertificateIssued} stored but not relayed), the same
 * {@code DomainsVerified}/{@code RenewalDue} published twice and replayed after the attempt finished, and two
 * instances of the service on one database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoDuplicateOrdersIT {

    private static final Component ISSUANCE = Component.ISSUANCE_SERVICE;
    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    static Path home;

    static Stack infrastructure;
    static CaGate gate;
    static StackConfig config;
    static ServiceProcess issuance;
    static TopicProbe topics;
    static final Map<String, List<String>> requested = new ConcurrentHashMap<>();
    static final Set<String> autoAnswer = ConcurrentHashMap.newKeySet();
    static final Set<String> answered = ConcurrentHashMap.newKeySet();
    static final List<String> kills = new ArrayList<>();
    static volatile boolean answering = true;
    static Thread answerer;

    @BeforeAll
    static void startInfrastructureGateAndIssuance() {
        StackConfig infra = StackConfig.forTests(home, EnumSet.of(Component.MONGO, Component.KAFKA, Component.BIND,
                Component.PEBBLE));
        infrastructure = Stack.start(infra, false, line -> System.out.println("[stack] " + line));
        gate = CaGate.start(infrastructure.pebble().port(), infrastructure.pebble().sslContext(), home);
        config = infra
                .withServiceProperty(ISSUANCE, "certflow.issuance.ca.directory-url", gate.directoryUrl())
                .withServiceProperty(ISSUANCE, "certflow.issuance.ca.trusted-certificate", gate.trustedCertificate().toString())
                .withServiceProperty(ISSUANCE, "certflow.issuance.ca.request-timeout", "20s")
                // a killed instance's claim must run out before the restarted one can take the attempt
                .withServiceProperty(ISSUANCE, "certflow.issuance.claim-lease", "5s")
                .withServiceProperty(ISSUANCE, "certflow.issuance.poll-interval", "300ms")
                .withServiceProperty(ISSUANCE, "certflow.issuance.order-poll-delay", "500ms")
                .withServiceProperty(ISSUANCE, "certflow.issuance.backoff.initial", "1s")
                .withServiceProperty(ISSUANCE, "certflow.issuance.backoff.max", "5s")
                // a killed consumer leaves the group after 6 s instead of 45 s
                .withServiceProperty(ISSUANCE, "spring.kafka.consumer.properties.session.timeout.ms", "6000")
                .withServiceProperty(ISSUANCE, "spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        issuance = new ServiceProcess(config, ISSUANCE);
        issuance.start();
        topics = new TopicProbe(config.kafkaBootstrapServers()).start();
        answerer = new Thread(NoDuplicateOrdersIT::answerChallenges, "verification-role");
        answerer.setDaemon(true);
        answerer.start();
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        answering = false;
        if (issuance != null) {
            issuance.stop();
        }
        if (topics != null) {
            topics.close();
        }
        if (gate != null) {
            gate.close();
        }
        if (infrastructure != null) {
            infrastructure.close();
        }
        System.out.println("[kill -9] boundaries: " + kills);
    }

    @Test
    @Order(1)
    void aKillAtEveryStepOfOneFlowStillEndsInOneOrderAndOneCertificate() {
        String certificateId = "crt-kill-" + shortId();
        List<String> domains = List.of("kill-" + shortId() + ".demo.certflow.test");

        CaGate.Hold orderAnswer = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE, CaGate.identifiers(domains));
        request(certificateId, domains);
        orderAnswer.awaitArrived(STEP);
        crash("the CA created the order, its answer has not reached the service", orderAnswer);

        ChallengeRequested challenge = topics.await(ChallengeRequested.class,
                c -> c.certificateId().equals(certificateId), STEP);
        crash("the order is stored and ChallengeRequested published", null);

        // each next hold is set before the crash: the restarted service may take the next step before start() returns
        CaGate.Hold trigger = gate.hold(CaGate.Endpoint.CHALLENGE, CaGate.Phase.REQUEST, CaGate.changing());
        answer(challenge);
        trigger.awaitArrived(STEP);
        CaGate.Hold triggered = gate.hold(CaGate.Endpoint.CHALLENGE, CaGate.Phase.RESPONSE, CaGate.changing());
        crash("ChallengeReady consumed, the challenge not triggered yet", trigger);

        triggered.awaitArrived(STEP);
        CaGate.Hold finalized = gate.hold(CaGate.Endpoint.FINALIZE, CaGate.Phase.RESPONSE);
        crash("the challenge was triggered at the CA, its answer lost", triggered);

        finalized.awaitArrived(STEP);
        CaGate.Hold download = gate.hold(CaGate.Endpoint.CERTIFICATE, CaGate.Phase.RESPONSE);
        crash("finalize reached the CA, its answer lost", finalized);

        download.awaitArrived(STEP);
        // the next instance relays its outbox once at start-up (its scan) and then not for an hour: it does
        // not publish what it saves
        CaGate.Hold secondDownload = gate.hold(CaGate.Endpoint.CERTIFICATE, CaGate.Phase.RESPONSE);
        crashAndRestartWith("the certificate is being downloaded", download,
                config.withServiceProperty(ISSUANCE, "certflow.outbox.publish-on-save", "false")
                        .withServiceProperty(ISSUANCE, "certflow.outbox.scan-interval", "1h"));
        secondDownload.awaitArrived(STEP);
        sleep(1500); // past the relay's first (start-up) run
        secondDownload.release();
        awaitAttemptState(certificateId, "ISSUED", STEP);
        sleep(1000);
        assertThat(issuedFor(certificateId)).as("CertificateIssued is stored in the outbox, not relayed").isEmpty();
        crash("ISSUED is stored, CertificateIssued not relayed yet", null);

        CertificateIssued issued = topics.await(CertificateIssued.class, e -> e.certificateId().equals(certificateId), STEP);
        assertThat(kills).hasSize(7);
        assertThat(gate.createdOrders(domains)).as("ACME orders Pebble created for " + domains).isEqualTo(1);
        assertThat(distinctIssued(certificateId)).as("CertificateIssued events").isEqualTo(1);
        assertThat(issued.domains()).containsExactlyElementsOf(domains);
        assertThat(failedFor(certificateId)).isEmpty();
        assertThat(attempts(certificateId)).as("issuance attempts").hasSize(1);
        assertThat(gate.posts(CaGate.Endpoint.ORDERS_LIST)).as("the lost order was looked up at the CA").isPositive();
    }

    @Test
    @Order(2)
    void aTriggerPublishedTwiceOrReplayedAfterTheAttemptFinishedPlacesNoSecondOrder() {
        String certificateId = "crt-dup-" + shortId();
        String base = "dup-" + shortId() + ".demo.certflow.test";
        List<String> domains = List.of(base, "www." + base);
        autoAnswer.add(certificateId);
        CertificateRequested request = certificateRequested(certificateId, domains);
        DomainsVerified verified = domainsVerified(certificateId, domains);
        DomainsVerified verifiedAgain = domainsVerified(certificateId, domains);
        topics.publish(request);
        topics.publish(request);
        topics.publish(verified);
        topics.publish(verified);
        topics.publish(verifiedAgain);
        CertificateIssued first = topics.await(CertificateIssued.class, e -> e.certificateId().equals(certificateId), STEP);

        RenewalDue renewal = new RenewalDue(UUID.randomUUID(), Instant.now(), config.accountId(), certificateId,
                first.serialNumber(), Instant.now(), "test", true);
        topics.publish(renewal);
        topics.publish(renewal);
        topics.publish(verified); // replayed while the renewal runs
        CertificateIssued renewed = topics.await(CertificateIssued.class, e -> e.certificateId().equals(certificateId)
                && first.serialNumber().equals(e.replacesSerialNumber()), STEP);

        topics.publish(request); // replayed after both attempts finished
        topics.publish(verified);
        topics.publish(verifiedAgain);
        topics.publish(renewal);
        sleep(5000);

        assertThat(gate.createdOrders(domains)).as("first issuance + one renewal").isEqualTo(2);
        assertThat(attempts(certificateId)).extracting(a -> a.path("state").asText()).containsExactly("ISSUED", "ISSUED");
        assertThat(distinctIssued(certificateId)).isEqualTo(2);
        assertThat(renewed.serialNumber()).isNotEqualTo(first.serialNumber());
    }

    @Test
    @Order(3)
    void twoInstancesOnOneDatabasePlaceOneOrderPerRequest() throws Exception {
        ServiceProcess second = ServiceProcess.instance(config, ISSUANCE, "b", freePort());
        second.start();
        try {
            List<String> certificates = new ArrayList<>();
            Map<String, List<String>> domainsOf = new java.util.HashMap<>();
            for (int i = 0; i < 4; i++) {
                String certificateId = "crt-two-" + i + "-" + shortId();
                List<String> domains = List.of("two-" + i + "-" + shortId() + ".demo.certflow.test");
                autoAnswer.add(certificateId);
                certificates.add(certificateId);
                domainsOf.put(certificateId, domains);
                DomainsVerified verified = domainsVerified(certificateId, domains);
                topics.publish(certificateRequested(certificateId, domains));
                topics.publish(verified);
                topics.publish(verified);
            }
            for (String certificateId : certificates) {
                topics.await(CertificateIssued.class, e -> e.certificateId().equals(certificateId), STEP);
            }
            for (String certificateId : certificates) {
                assertThat(gate.createdOrders(domainsOf.get(certificateId))).as("orders for " + certificateId).isEqualTo(1);
                assertThat(distinctIssued(certificateId)).isEqualTo(1);
                assertThat(attempts(certificateId)).hasSize(1);
            }
            System.out.printf("[two instances] orders placed or adopted: a=%d, b=%d%n", orderLines(issuance), orderLines(second));
        } finally {
            second.stop();
        }
    }

    @Test
    @Order(4)
    void everyRequestEndsInCertificateIssuedOrIssuanceFailed_andNoOrderIsOpenUnused() {
        for (String certificateId : requested.keySet()) {
            assertThat(issuedFor(certificateId).size() + failedFor(certificateId).size())
                    .as("outcome of " + certificateId).isPositive();
        }
        long expected = requested.size() + 1; // one renewal in the replay test
        assertThat(gate.createdOrders()).as("ACME orders created in this test").isEqualTo(expected);
        for (String topic : Topics.ALL) {
            assertThat(topics.records(Topics.deadLetter(topic))).as(Topics.deadLetter(topic)).isEmpty();
        }
    }

    // ---- the crash ------------------------------------------------------------------------

    /** kill -9 while {@code held} (if any) is held at the gate, then start the service again. */
    private static void crash(String boundary, CaGate.Hold held) {
        crashAndRestartWith(boundary, held, config);
    }

    private static void crashAndRestartWith(String boundary, CaGate.Hold held, StackConfig restartWith) {
        issuance.kill();
        if (held != null) {
            held.drop();
        }
        kills.add(boundary);
        long started = System.nanoTime();
        issuance = new ServiceProcess(restartWith, ISSUANCE);
        issuance.start();
        System.out.printf("[kill -9] %s; restarted in %d ms%n", boundary, (System.nanoTime() - started) / 1_000_000);
    }

    // ---- the test's part of verification-service ----------------------------------------------

    private static void answerChallenges() {
        while (answering) {
            try {
                for (ChallengeRequested c : topics.all(ChallengeRequested.class)) {
                    if (autoAnswer.contains(c.certificateId()) && !answered.contains(c.attemptId())) {
                        answer(c);
                    }
                }
            } catch (RuntimeException e) {
                System.out.println("[verification-role] " + e);
            }
            sleep(200);
        }
    }

    /** Publishes the TXT values in BIND and tells issuance-service they are ready. */
    private static synchronized void answer(ChallengeRequested c) {
        if (!answered.add(c.attemptId())) {
            return;
        }
        c.challenges().stream().collect(Collectors.groupingBy(ChallengeRequested.DnsChallenge::recordName,
                        Collectors.mapping(ChallengeRequested.DnsChallenge::txtValue, Collectors.toList())))
                .forEach((name, values) -> infrastructure.bind().addTxt(name, values));
        topics.publish(new ChallengeReady(UUID.randomUUID(), Instant.now(), c.accountId(), c.certificateId(),
                c.attemptId(), true, null));
    }

    // ---- events and views -----------------------------------------------------------------

    private static void request(String certificateId, List<String> domains) {
        topics.publish(certificateRequested(certificateId, domains));
        topics.publish(domainsVerified(certificateId, domains));
    }

    private static CertificateRequested certificateRequested(String certificateId, List<String> domains) {
        requested.put(certificateId, domains);
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), config.accountId(), certificateId,
                "ord-" + certificateId, domains, "dv", 1, null, true, null, null);
    }

    private static DomainsVerified domainsVerified(String certificateId, List<String> domains) {
        return new DomainsVerified(UUID.randomUUID(), Instant.now(), config.accountId(), certificateId,
                domains.stream().map(d -> new DomainsVerified.VerifiedDomain(d, "CNAME_DELEGATION", null)).toList());
    }

    private static List<CertificateIssued> issuedFor(String certificateId) {
        return topics.all(CertificateIssued.class).stream().filter(e -> e.certificateId().equals(certificateId)).toList();
    }

    private static long distinctIssued(String certificateId) {
        return issuedFor(certificateId).stream().map(CertificateIssued::eventId).distinct().count();
    }

    private static List<IssuanceFailed> failedFor(String certificateId) {
        return topics.all(IssuanceFailed.class).stream().filter(e -> e.certificateId().equals(certificateId)).toList();
    }

    private static List<JsonNode> attempts(String certificateId) {
        JsonNode body = new ApiClient(issuance.baseUrl()).get("/api/v1/certificates/" + certificateId + "/attempts",
                config.apiKey()).json(200);
        List<JsonNode> items = new ArrayList<>();
        (body.isArray() ? body : body.path("items")).forEach(items::add);
        return items;
    }

    private static void awaitAttemptState(String certificateId, String state, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<JsonNode> last = List.of();
        while (Instant.now().isBefore(deadline)) {
            last = attempts(certificateId);
            if (last.stream().anyMatch(a -> state.equals(a.path("state").asText()))) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("no attempt of " + certificateId + " reached " + state + " within " + timeout + ": " + last);
    }

    /** How many orders an instance placed or adopted, from its log (for the report only). */
    private static long orderLines(ServiceProcess instance) {
        try (var lines = java.nio.file.Files.lines(instance.logFile())) {
            return lines.filter(l -> l.contains("ACME order") && l.contains("placed for") || l.contains("adopted order")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
