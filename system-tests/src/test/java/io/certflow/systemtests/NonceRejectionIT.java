package io.certflow.systemtests;

import io.certflow.devstack.Component;
import io.certflow.devstack.DemoFlow;
import io.certflow.devstack.PebbleBehaviour;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile CA: Pebble at its defaults (random validation delay) but refusing half of all requests with
 * {@code badNonce} ({@code PEBBLE_WFE_NONCEREJECT=50}). A purchase must still become one certificate, issued by
 * one ACME order and served by nginx. The demo stops after the first deployment to keep the suite short.
 */
class NonceRejectionIT {

    @TempDir
    static Path home;

    static PlatformUnderTest platform;
    static TopicProbe topics;
    static DemoFlow.Result demo;

    @BeforeAll
    static void startThePlatformAgainstAHostileCaAndDeployOneCertificate() {
        StackConfig config = StackConfig.forTests(home, Component.ALL)
                .withPebble(PebbleBehaviour.pebbleDefaults().withNonceRejectPercent(50));
        platform = PlatformUnderTest.start(config);
        demo = new DemoFlow(config, System.out, StackConfig.DEMO_DOMAIN, Duration.ofSeconds(240),
                Duration.ofSeconds(120), false).run();
        topics = platform.topics();
        topics.await(DeploymentCompleted.class, d -> d.certificateId().equals(demo.certificateId()), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void nginxServesTheCertificateIssuedDespiteHalfTheNoncesRejected() {
        List<CertificateIssued> issued = topics.all(CertificateIssued.class).stream()
                .filter(e -> e.certificateId().equals(demo.certificateId())).toList();
        assertThat(issued).hasSize(1);
        String serial = TlsProbe.normalizeSerial(issued.get(0).serialNumber());

        assertThat(demo.hostedSerialBefore()).isEqualTo(serial);
        assertThat(demo.servedSerialBefore()).isEqualTo(serial);
        assertThat(TlsProbe.normalizeSerial(TlsProbe.servedSerialHex("127.0.0.1", platform.config().ports().nginx(),
                StackConfig.DEMO_DOMAIN))).isEqualTo(serial);
        assertThat(topics.all(IssuanceFailed.class)).isEmpty();
    }

    @Test
    void oneAcmeOrderAndNothingOnADeadLetterTopic() throws Exception {
        assertThat(platform.count(Component.ISSUANCE_SERVICE, "/api/v1/certificates/" + demo.certificateId() + "/attempts"))
                .as("issuance attempts (ACME orders)").isEqualTo(1);
        platform.assertNothingDeadLettered();
    }
}
