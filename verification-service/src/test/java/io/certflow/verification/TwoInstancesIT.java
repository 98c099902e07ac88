package io.certflow.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Ports;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import io.certflow.verification.dns.server.DelegationZoneLifecycle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xbill.DNS.Rcode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.certflow.verification.OutsideIn.WAIT;
import static io.certflow.verification.OutsideIn.awaitTrue;
import static io.certflow.verification.OutsideIn.certificateIssued;
import static io.certflow.verification.OutsideIn.certificateRequested;
import static io.certflow.verification.OutsideIn.challengeRequested;
import static io.certflow.verification.OutsideIn.dns01;
import static io.certflow.verification.OutsideIn.txt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two verification-service instances on one database and one broker, each with its own DNS server,
 * answer the delegation zone alike: a challenge applied by instance A is served by B's DNS server
 * the moment A's is, and is gone from both once withdrawn. B's Kafka listeners are stopped, so B
 * learns of the challenge only through the database, as a second instance behind another NS
 * record would.
 */
@ServiceIT
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TwoInstancesIT {

    private static final String ZONE = "demo.certflow.test";
    private static final Ports PORTS = Ports.free();

    @TempDir
    static Path dir;
    static BindProcess bind;
    static ConfigurableApplicationContext instanceB;

    @Autowired
    TopicProbe topics;
    @Autowired
    Environment environment;
    @LocalServerPort
    int portA;

    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        OutsideIn.customerDns(registry, PORTS);
    }

    @BeforeAll
    static void startBind() {
        bind = OutsideIn.startBind(dir, PORTS);
    }

    @AfterAll
    static void stopAll() {
        if (instanceB != null) {
            instanceB.close();
        }
        if (bind != null) {
            bind.stop();
        }
    }

    @Test
    void bothInstancesServeAndWithdrawWhatOneApplied() throws Exception {
        startInstanceB();
        int dnsA = PORTS.certflowDns();
        int dnsB = instanceB.getBean(DelegationZoneLifecycle.class).port();
        assertThat(dnsB).isPositive().isNotEqualTo(dnsA);
        ApiClient apiA = ApiClient.onPort(portA);
        ApiClient apiB = ApiClient.onPort(Integer.parseInt(instanceB.getEnvironment().getRequiredProperty("local.server.port")));

        // delegated through A's API, verified through B's: one authorization in the shared database
        String domain = "multi." + ZONE;
        String target = apiA.get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200).get("recordValue").asText();
        assertThat(apiB.get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200).get("recordValue").asText())
                .isEqualTo(target);
        bind.addCname("_acme-challenge.multi", target);
        JsonNode verified = apiB.post("/api/v1/domains/" + domain + "/verify", "key-a", "").json(200);
        assertThat(verified.get("result").asText()).isEqualTo("VERIFIED");

        String certificateId = "crt_" + UUID.randomUUID();
        topics.publish(certificateRequested("account-a", certificateId, domain, "*." + domain));
        topics.await(DomainsVerified.class, e -> e.certificateId().equals(certificateId), WAIT);

        String attemptId = "att_" + UUID.randomUUID();
        topics.publish(challengeRequested("account-a", certificateId, attemptId,
                dns01(domain, "digest-apex-multi"), dns01(domain, "digest-wild-multi")));
        assertThat(topics.await(ChallengeReady.class, e -> e.attemptId().equals(attemptId), WAIT).ready()).isTrue();

        // no waiting for B: it reads the same database on every query
        OutsideIn.Answer fromA = txt(dnsA, target);
        OutsideIn.Answer fromB = txt(dnsB, target);
        assertThat(fromA.txt()).containsExactly("digest-apex-multi", "digest-wild-multi");
        assertThat(fromA.authoritative()).isTrue();
        assertThat(fromB).isEqualTo(fromA);
        assertThat(txt(PORTS.bind(), "_acme-challenge." + domain + ".").txt())
                .as("what a CA sees through the customer's CNAME").containsExactly("digest-apex-multi", "digest-wild-multi");

        topics.publish(certificateIssued("account-a", certificateId, attemptId, domain));
        awaitTrue("withdrawn on A", () -> txt(dnsA, target).rcode() == Rcode.NXDOMAIN);
        assertThat(txt(dnsB, target).rcode()).as("withdrawn on B at the same moment").isEqualTo(Rcode.NXDOMAIN);
        assertThat(txt(dnsB, target).txt()).isEmpty();
    }

    /** Instance B: same database, same broker and consumer group, its own HTTP and DNS ports. */
    private void startInstanceB() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", environment.getRequiredProperty("spring.kafka.bootstrap-servers"));
        properties.put("spring.data.mongodb.uri", environment.getRequiredProperty("spring.data.mongodb.uri"));
        properties.put("server.port", "0");
        properties.put("certflow.verification.dns.port", "0");
        properties.put("certflow.verification.resolver", "127.0.0.1:" + PORTS.bind());
        properties.put("certflow.verification.lookup.authoritative-port", Integer.toString(PORTS.bind()));
        properties.put("certflow.verification.key-encryption-key",
                environment.getRequiredProperty("certflow.verification.key-encryption-key"));
        properties.put("certflow.verification.challenge.check-interval", "100ms");
        properties.putAll(TestApiKeys.ownerKey(TestApiKeys.KEY_A, "account-a"));
        properties.putAll(TestApiKeys.ownerKey(TestApiKeys.KEY_B, "account-b"));
        properties.put("certflow.security.internal-token", "test-internal-token");
        properties.put("certflow.messaging.partitions", "1");
        properties.put("certflow.outbox.scan-interval", "1s");
        properties.put("server.shutdown", "immediate");
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "2s");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new); // arguments, as the jar gets them: they win over application.yml
        instanceB = new SpringApplicationBuilder(VerificationServiceApplication.class).run(args);
        instanceB.getBean(KafkaListenerEndpointRegistry.class).stop();
    }
}
