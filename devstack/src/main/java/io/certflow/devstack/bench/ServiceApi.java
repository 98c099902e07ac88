package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The benchmarks' one HTTP client for the services' APIs: JSON in and out under the stack's API key, transport
 * failures as {@link DevstackException}. The callers decide what an answer's status means.
 */
final class ServiceApi {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** Sends {@code method path} to {@code service} of the stack, with {@code body} as JSON when not null. */
    HttpResponse<String> send(StackConfig config, String method, Component service, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.serviceUrl(service) + path))
                    .timeout(Duration.ofSeconds(30)).header("X-Api-Key", config.apiKey())
                    .header("Accept", "application/json");
            b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DevstackException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }

    /** An answer's body as JSON. */
    JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new DevstackException("not JSON: " + body, e);
        }
    }
}
