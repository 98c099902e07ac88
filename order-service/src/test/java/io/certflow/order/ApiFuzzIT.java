package io.certflow.order;

import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.web.EndpointFuzzer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of order-service under random hostile input ({@link EndpointFuzzer}): a 2xx or a
 * problem+json 4xx, never a 5xx. Real orders of both accounts exist first, so ids of real things, and
 * of another account's things, are fuzzed too.
 */
@ServiceIT
class ApiFuzzIT {

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersBadInputWithAProblem() {
        ApiClient api = ApiClient.onPort(port);
        String mine = api.post("/api/v1/orders", "key-a", "{\"domains\":[\"fuzz-a.example\"]}").json(201)
                .get("orderId").asText();
        String theirs = api.post("/api/v1/orders", "key-b", "{\"domains\":[\"fuzz-b.example\"]}").json(201)
                .get("orderId").asText();
        EndpointFuzzer fuzzer = EndpointFuzzer.of(context, port).apiKey("key-a").internalToken("test-internal-token")
                .knownValues("orderId", mine, theirs)
                .validBody("POST /api/v1/orders", "{\"domains\":[\"fuzz-c.example\"],\"termYears\":1,\"product\":\"dv-single\"}");
        assertThat(fuzzer.endpoints()).extracting(Object::toString).contains("POST /api/v1/orders", "GET /api/v1/orders/{orderId}");
        return fuzzer.endpoints().stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(),
                () -> assertThat(fuzzer.fuzz(endpoint)).as("answers that break the API's contract").isEmpty()));
    }
}
