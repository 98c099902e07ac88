package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;
import io.certflow.devstack.faults.Faults;
import io.certflow.devstack.faults.RecoveryTimings;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.RenewalDue;
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
import java.util.List;

import static io.certflow.devstack.Component.DEPLOYMENT_SERVICE;
import static io.certflow.devstack.Component.HOSTING_SERVICE;
import static io.certflow.devstack.Component.ISSUANCE_SERVICE;
import static io.certflow.devstack.Component.ORDER_SERVICE;
import static io.certflow.devstack.Component.VERIFICATION_SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of each of the five services at each step it takes in the first issuance and in a renewal of one
 * certificate served by nginx, on the whole platform as real processes; each killed service is started again and
 * the flow completes: one ACME order per request (counted at the {@link CaGate} in front of Pebble), one
 * {@code CertificateIssued} per attempt, one deployment job per certificate version, and nginx serves the new serial.
 *
 * <p>A step is made exact with the gate: the request that ends a service's step at the CA is held (Pebble acted,
 * the answer not yet delivered) while the service is killed, and the services that consume the step's event are
 * killed with it, so the event is published while its consumers are down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceCrashIT {

    private static final Duration STEP = Duration.ofSeconds(120);
    /** A restart on a loaded CI machine (two cores, other builds) took up to 80 s. */
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(240);
    private static final List<String> DOMAINS = List.of(StackConfig.DEMO_DOMAIN);

    @TempDir
    static Path home;

    static PlatformUnderTest platform;
    static Faults faults;
    static CaGate gate;
    static TopicProbe topics;
    static Customer customer;
    static Outcomes outcomes;
    static String certificateId;
    static CertificateIssued first;

    @BeforeAll
    static void startThePlatformBehindAGate() {
        platform = PlatformUnderTest.startBehindGate(RecoveryTimings.apply(StackConfig.forTests(home, Component.ALL)
                .withStartTimeout(RESTART_TIMEOUT)));
        faults = platform.faults();
        gate = platform.gate();
        topics = platform.topics();
        customer = new Customer(platform);
        outcomes = new Outcomes(topics);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            System.out.println("[faults] " + faults.history().size() + " injected: " + faults.history());
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aFirstIssuanceSurvivesAKillOfEachServiceAtEachOfItsSteps() {
        customer.delegate(StackConfig.DEMO_DOMAIN);

        // order-service is down when billing's purchase arrives, verification-service when the request is published
        faults.kill(ORDER_SERVICE, VERIFICATION_SERVICE);
        String orderId = customer.purchase(DOMAINS);
        faults.start(ORDER_SERVICE);
        certificateId = customer.certificateOfPurchase(orderId, STEP);
        topics.await(CertificateRequested.class, r -> r.certificateId().equals(certificateId), STEP);
        assertThat(topics.all(DomainsVerified.class)).as("nothing verified while verification-service is down")
                .noneMatch(v -> v.certificateId().equals(certificateId));
        CaGate.Hold orderAnswer = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE, CaGate.identifiers(DOMAINS));
        faults.start(VERIFICATION_SERVICE);
        topics.await(DomainsVerified.class, v -> v.certificateId().equals(certificateId), STEP);

        // issuance-service dies after the CA created the order, before it heard the answer; verification-service is
        // down when ChallengeRequested is published
        orderAnswer.awaitArrived(STEP);
        faults.kill(ISSUANCE_SERVICE, VERIFICATION_SERVICE);
        orderAnswer.drop();
        CaGate.Hold trigger = gate.hold(CaGate.Endpoint.CHALLENGE, CaGate.Phase.REQUEST, CaGate.changing());
        faults.start(ISSUANCE_SERVICE, VERIFICATION_SERVICE);

        // issuance-service consumed ChallengeReady and dies before the CA heard the trigger
        trigger.awaitArrived(STEP);
        CaGate.Hold download = gate.hold(CaGate.Endpoint.CERTIFICATE, CaGate.Phase.RESPONSE);
        faults.kill(ISSUANCE_SERVICE);
        trigger.drop();
        faults.start(ISSUANCE_SERVICE);

        // issuance-service dies while downloading the certificate; hosting-service is down when it is published
        download.awaitArrived(STEP);
        faults.kill(ISSUANCE_SERVICE, HOSTING_SERVICE);
        download.drop();
        faults.start(ISSUANCE_SERVICE, HOSTING_SERVICE);
        first = topics.await(CertificateIssued.class, i -> i.certificateId().equals(certificateId), STEP);
        String hosted = customer.awaitHosted(certificateId, s -> true, STEP);
        assertThat(hosted).isEqualTo(TlsProbe.normalizeSerial(first.serialNumber()));

        // deployment-service dies right after the user submitted the first deployment
        String jobId = customer.deployToNginx(certificateId);
        faults.killAndRestart(DEPLOYMENT_SERVICE);
        JsonNode job = customer.awaitJobEnded(jobId, STEP);

        assertThat(job.path("status").asText()).as("the first deployment job: " + job).isEqualTo("SUCCEEDED");
        customer.assertNginxServes(first.serialNumber());
        assertThat(gate.createdOrders(DOMAINS)).as("ACME orders Pebble created for the first issuance").isEqualTo(1);
        assertThat(customer.attempts(certificateId)).extracting(a -> a.path("state").asText()).containsExactly("ISSUED");
        outcomes.assertOneCertificateIssuedPerAttempt(certificateId);
        assertThat(topics.all(IssuanceFailed.class)).isEmpty();
    }

    @Test
    @Order(2)
    void aRenewalSurvivesAKillOfEachServiceAtEachOfItsStepsAndNginxServesItOnce() {
        assertThat(first).as("the first issuance ran").isNotNull();
        String before = TlsProbe.normalizeSerial(first.serialNumber());

        // hosting-service dies right after the user asked for the renewal (RenewalDue in its outbox, maybe unsent)
        CaGate.Hold orderAnswer = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE, CaGate.identifiers(DOMAINS));
        customer.renew(certificateId);
        faults.killAndRestart(HOSTING_SERVICE);
        topics.await(RenewalDue.class, d -> d.certificateId().equals(certificateId), STEP);

        // issuance-service dies after the CA created the renewal's order; verification-service is down when
        // ChallengeRequested is published
        orderAnswer.awaitArrived(STEP);
        faults.kill(ISSUANCE_SERVICE, VERIFICATION_SERVICE);
        orderAnswer.drop();
        CaGate.Hold trigger = gate.hold(CaGate.Endpoint.CHALLENGE, CaGate.Phase.REQUEST, CaGate.changing());
        faults.start(ISSUANCE_SERVICE, VERIFICATION_SERVICE);

        // issuance-service consumed ChallengeReady and dies before the CA heard the trigger
        trigger.awaitArrived(STEP);
        CaGate.Hold download = gate.hold(CaGate.Endpoint.CERTIFICATE, CaGate.Phase.RESPONSE);
        faults.kill(ISSUANCE_SERVICE);
        trigger.drop();
        faults.start(ISSUANCE_SERVICE);

        // issuance-service dies while downloading; hosting- and deployment-service are down when it is published
        download.awaitArrived(STEP);
        faults.kill(ISSUANCE_SERVICE, HOSTING_SERVICE, DEPLOYMENT_SERVICE);
        download.drop();
        faults.start(ISSUANCE_SERVICE, HOSTING_SERVICE, DEPLOYMENT_SERVICE);

        CertificateIssued renewed = topics.await(CertificateIssued.class, i -> i.certificateId().equals(certificateId)
                && Customer.sameSerial(before, i.replacesSerialNumber()), STEP);
        String after = TlsProbe.normalizeSerial(renewed.serialNumber());
        DeploymentCompleted redeployed = topics.await(DeploymentCompleted.class,
                d -> Customer.sameSerial(d.serialNumber(), after), STEP);

        assertThat(after).isNotEqualTo(before);
        assertThat(redeployed.trigger()).isEqualTo("RENEWAL");
        assertThat(redeployed.succeeded()).as("the renewal's deployment: " + redeployed).isTrue();
        customer.assertNginxServes(after);
        assertThat(customer.awaitHosted(certificateId, after::equals, STEP)).isEqualTo(after);
        assertThat(gate.createdOrders(DOMAINS)).as("ACME orders: the first issuance and the renewal").isEqualTo(2);
        assertThat(customer.attempts(certificateId)).extracting(a -> a.path("state").asText())
                .containsExactly("ISSUED", "ISSUED");
        outcomes.assertOneCertificateIssuedPerAttempt(certificateId);
        assertThat(outcomes.issuedSerials(certificateId)).containsExactly(before, after);
    }

    @Test
    @Order(3)
    void nothingLostNothingDuplicatedNothingDeadLettered() {
        outcomes.awaitNothingLost(STEP);
        Customer.sleep(3000); // a late duplicate deployment would show by now
        outcomes.assertOneDeploymentPerVersion(certificateId);
        assertThat(customer.jobs(certificateId)).as("deployment jobs: the submitted one and the renewal's").hasSize(2);
        assertThat(topics.all(DeploymentCompleted.class)).allMatch(DeploymentCompleted::succeeded);
        platform.assertNothingDeadLettered();
    }
}
