package io.certflow.deployment;

import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.web.EndpointFuzzer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of deployment-service under random hostile input ({@link EndpointFuzzer}): a 2xx or a
 * problem+json 4xx, never a 5xx, and a credential's secret never echoed. A resource of each account
 * exists first, so ids of real things, and of another account's things, are fuzzed too.
 */
@ServiceIT
@TestPropertySource(properties = "certflow.deployment.nginx.allowed-directories=/tmp/certflow-fuzz")
class ApiFuzzIT {

    private static final String SECRET = "fuzz-secret-value-5b1d";

    static {
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("/tmp/certflow-fuzz"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersBadInputWithAProblem() {
        ApiClient api = ApiClient.onPort(port);
        String mine = resource(api, "key-a");
        String theirs = resource(api, "key-b");
        EndpointFuzzer fuzzer = EndpointFuzzer.of(context, port).apiKey("key-a").internalToken("test-internal-token")
                .secrets(SECRET)
                .knownValues("resourceId", mine, theirs)
                .validBody("POST /api/v1/resources", "{\"type\":\"nginx\",\"name\":\"fuzzed\",\"config\":"
                        + "{\"certificatePath\":\"/tmp/certflow-fuzz/b.crt\",\"keyPath\":\"/tmp/certflow-fuzz/b.key\","
                        + "\"reloadCommand\":\"nginx -s reload\",\"tlsAddress\":\"127.0.0.1:1\",\"serverName\":\"fuzz.example\"}}")
                .validBody("POST /api/v1/target-credentials",
                        "{\"type\":\"nginx\",\"name\":\"n\",\"settings\":{},\"secrets\":{\"apiKey\":\"" + SECRET + "\"}}")
                .validBody("POST /api/v1/deployment-tasks", "{\"certificateId\":\"crt_none\",\"resourceIds\":[\"" + mine + "\"]}")
                .validBody("PUT /api/v1/deployment-tasks/{taskId}/resources", "{\"resourceIds\":[\"" + mine + "\"]}");
        assertThat(fuzzer.endpoints()).extracting(Object::toString).contains("POST /api/v1/resources");
        return fuzzer.endpoints().stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(),
                () -> assertThat(fuzzer.fuzz(endpoint)).as("answers that break the API's contract").isEmpty()));
    }

    private static String resource(ApiClient api, String key) {
        String name = "fuzzed by " + key.substring(key.length() - 1);
        return api.post("/api/v1/resources", key, Map.of("type", "nginx", "name", name, "config", Map.of(
                        "certificatePath", "/tmp/certflow-fuzz/site.crt", "keyPath", "/tmp/certflow-fuzz/site.key",
                        "reloadCommand", "nginx -s reload", "tlsAddress", "127.0.0.1:1", "serverName", "fuzz.example")))
                .json(201).path("resourceId").asText();
    }
}
