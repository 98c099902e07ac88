package io.certflow.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls a service's HTTP API as a client does: with an API key ({@code X-Api-Key}) on
 * {@code /api/**}, or the service credential ({@code X-Internal-Token}) on {@code /internal/**},
 * and reads JSON and problem+json answers.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(String baseUrl) {
        this(baseUrl, Map.of());
    }

    private ApiClient(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.headers = headers;
    }

    /** The same client, sending this header too on every request (e.g. an operator's {@code X-Certflow-Account}). */
    public ApiClient withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(baseUrl, Map.copyOf(more));
    }

    /** Any method, with a JSON body ({@code null} for none) and an API key ({@code null} for none). */
    public Response request(String method, String path, String apiKey, Object body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json(body));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request, "X-Api-Key", apiKey);
    }

    /** A client of the service listening on this loopback port. */
    public static ApiClient onPort(int port) {
        return new ApiClient("http://127.0.0.1:" + port);
    }

    /** GET with an API key ({@code null} for none). */
    public Response get(String path, String apiKey) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), "X-Api-Key", apiKey);
    }

    /** POST of a JSON body (a JSON string as it is, anything else serialized) with an API key ({@code null} for none). */
    public Response post(String path, String apiKey, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))), "X-Api-Key", apiKey);
    }

    /** PUT of a JSON body (as {@link #post}) with an API key ({@code null} for none). */
    public Response put(String path, String apiKey, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))), "X-Api-Key", apiKey);
    }

    /** DELETE with an API key ({@code null} for none). */
    public Response delete(String path, String apiKey) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), "X-Api-Key", apiKey);
    }

    /** GET of an internal endpoint with the service credential ({@code null} for none). */
    public Response getInternal(String path, String internalToken) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), "X-Internal-Token", internalToken);
    }

    private Response send(HttpRequest.Builder request, String credentialHeader, String credential) {
        if (credential != null) {
            request.header(credentialHeader, credential);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + baseUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static String json(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the request body", e);
        }
    }

    /**
     * An answer.
     *
     * @param status      the HTTP status
     * @param contentType the {@code Content-Type} header, or empty
     * @param body        the body as text
     * @param headers     every response header (names in lower case)
     */
    public record Response(int status, String contentType, String body, Map<String, List<String>> headers) {

        /** The first value of a response header, if any. */
        public Optional<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream().findFirst();
        }

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        /** Asserts the status and returns the JSON body. */
        public JsonNode json(int expectedStatus) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            return json();
        }

        /** Asserts a problem+json answer with this status whose detail contains the text. */
        public Response assertProblem(int expectedStatus, String detailContains) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            assertThat(contentType).contains("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.path("status").asInt()).isEqualTo(expectedStatus);
            assertThat(problem.path("detail").asText()).contains(detailContains);
            return this;
        }
    }
}
