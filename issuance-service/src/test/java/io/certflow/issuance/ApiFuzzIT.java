package io.certflow.issuance;

import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.web.EndpointFuzzer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of issuance-service, the internal bundle API included, under random hostile input
 * ({@link EndpointFuzzer}): a 2xx or a problem+json 4xx, never a 5xx, and no credential echoed. The
 * configured CA profile is fuzzed by its real name; certificates are ids of nothing (issuing one takes the
 * whole ACME round trip, which the issuance ITs cover), and the CA is a closed port.
 */
@ServiceIT
@TestPropertySource(properties = {"certflow.issuance.key-encryption-key=AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=",
        "certflow.issuance.ca.directory-url=https://127.0.0.1:1/directory"})
class ApiFuzzIT {

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersBadInputWithAProblem() {
        EndpointFuzzer fuzzer = EndpointFuzzer.of(context, port).apiKey("key-a").internalToken("test-internal-token")
                .knownValues("name", "default")
                .knownValues("serialNumber", "0a01", "ff")
                .validBody("POST /api/v1/certificates/{certificateId}/versions/{serialNumber}/revoke",
                        "{\"reason\":\"keyCompromise\"}");
        assertThat(fuzzer.endpoints()).extracting(Object::toString).contains("GET /api/v1/ca-profiles/{name}",
                "GET /internal/v1/certificates/{certificateId}/versions/{serialNumber}/bundle");
        return fuzzer.endpoints().stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(),
                () -> assertThat(fuzzer.fuzz(endpoint)).as("answers that break the API's contract").isEmpty()));
    }
}
