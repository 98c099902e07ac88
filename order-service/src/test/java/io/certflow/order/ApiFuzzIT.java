package io.certflow.order;

import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.web.EndpointFuzzer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    @Test
    void aRequestLineTooLargeForTheServerIsAProblemNotAnHtmlPage() {
        ApiClient.Response answer = ApiClient.onPort(port).get("/api/v1/orders?domain=" + "a".repeat(20_000), "key-a");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("<html").doesNotContain("key-a");
    }

    @Test
    void aBodyOverTheLimitIsPayloadTooLarge() {
        ApiClient.Response answer = ApiClient.onPort(port).post("/api/v1/orders", "key-a",
                "{\"domains\":[\"" + "a".repeat(1024 * 1024) + "\"]}");

        answer.assertProblem(413, "The request body is larger than 262144 bytes.");
    }

    @Test
    void aMultipartBodyIsABadRequest() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/orders")).header("X-Api-Key", "key-a")
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }
}
