package io.certflow.hosting;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TopicProbe;
import io.certflow.testsupport.web.EndpointFuzzer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of hosting-service under random hostile input ({@link EndpointFuzzer}): a 2xx or a
 * problem+json 4xx, never a 5xx. A hosted certificate of each account exists first, so ids of real
 * things, and of another account's things, are fuzzed too.
 */
@ServiceIT
class ApiFuzzIT {

    @Autowired
    ApplicationContext context;
    @Autowired
    TopicProbe topics;
    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersBadInputWithAProblem() {
        ApiClient api = ApiClient.onPort(port);
        String mine = "crt_fuzz" + UUID.randomUUID().toString().replace("-", "");
        String theirs = "crt_fuzz" + UUID.randomUUID().toString().replace("-", "");
        topics.publish(requested("account-a", mine));
        topics.publish(requested("account-b", theirs));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/certificates/" + mine, "key-a").status() == 200);
        EndpointFuzzer fuzzer = EndpointFuzzer.of(context, port).apiKey("key-a").internalToken("test-internal-token")
                .knownValues("certificateId", mine, theirs)
                .validBody("PUT /api/v1/maintenance-windows",
                        "{\"windows\":[{\"days\":[\"SATURDAY\"],\"start\":\"02:00\",\"end\":\"04:00\",\"timeZone\":\"UTC\"}]}");
        assertThat(fuzzer.endpoints()).extracting(Object::toString).contains("GET /api/v1/certificates/{certificateId}");
        return fuzzer.endpoints().stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(),
                () -> assertThat(fuzzer.fuzz(endpoint)).as("answers that break the API's contract").isEmpty()));
    }

    private static CertificateRequested requested(String account, String certificateId) {
        return new CertificateRequested(UUID.randomUUID(), Instant.now(), account, certificateId, "ord-" + certificateId,
                List.of("fuzz.hosted.example"), "dv-single", 1, Instant.now().plus(365, ChronoUnit.DAYS), true, null, null);
    }
}
