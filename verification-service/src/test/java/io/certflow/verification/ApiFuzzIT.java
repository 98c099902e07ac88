package io.certflow.verification;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Ports;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.web.EndpointFuzzer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of verification-service under random hostile input ({@link EndpointFuzzer}): a 2xx or
 * a problem+json 4xx, never a 5xx. The customers' BIND answers lookups as in the other ITs; a domain and a
 * certificate's verification of each account exist first, so real names and ids are fuzzed too.
 */
@ServiceIT
class ApiFuzzIT {

    private static final Ports PORTS = Ports.free();

    @TempDir
    static Path dir;
    static BindProcess bind;

    @Autowired
    ApplicationContext context;
    @Autowired
    TopicProbe topics;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dns(DynamicPropertyRegistry registry) {
        OutsideIn.customerDns(registry, PORTS);
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

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersBadInputWithAProblem() {
        ApiClient api = ApiClient.onPort(port);
        String domain = "fuzz.demo.certflow.test";
        api.get("/api/v1/domains/" + domain + "/delegation", "key-a").json(200);
        String mine = "crt_fuzz" + UUID.randomUUID().toString().replace("-", "");
        String theirs = "crt_fuzz" + UUID.randomUUID().toString().replace("-", "");
        topics.publish(requested("account-a", mine));
        topics.publish(requested("account-b", theirs));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/certificates/" + mine + "/verification", "key-a").status() == 200);
        EndpointFuzzer fuzzer = EndpointFuzzer.of(context, port).apiKey("key-a").internalToken("test-internal-token")
                .knownValues("domain", domain, "www.demo.certflow.test")
                .knownValues("certificateId", mine, theirs)
                .validBody("PUT /api/v1/domains/{domain}/method", "{\"method\":\"CNAME_DELEGATION\"}");
        assertThat(fuzzer.endpoints()).extracting(Object::toString).contains("POST /api/v1/domains/{domain}/verify");
        return fuzzer.endpoints().stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(),
                () -> assertThat(fuzzer.fuzz(endpoint)).as("answers that break the API's contract").isEmpty()));
    }

    private static CertificateRequested requested(String account, String certificateId) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), account, certificateId, "ord-" + certificateId,
                List.of("www.demo.certflow.test"), "dv-single", 1, Instant.now().plus(365, ChronoUnit.DAYS), true, null, null);
    }
}
