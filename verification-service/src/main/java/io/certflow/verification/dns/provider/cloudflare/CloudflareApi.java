package io.certflow.verification.dns.provider.cloudflare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.verification.dns.provider.DnsProviderException;
import io.certflow.verification.dns.provider.ProviderText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sends one request to Cloudflare's API v4 with the API token as {@code Authorization: Bearer}, and reads the
 * envelope every answer carries ({@code success}, {@code errors[]} with {@code code} and {@code message},
 * {@code result}): a failure becomes a {@link DnsProviderException} that says what to do about it. The token
 * never appears in a message.
 */
final class CloudflareApi {

    /** Error codes Cloudflare answers for a token that is invalid, expired or lacks a permission. */
    private static final Set<Integer> CREDENTIAL_CODES = Set.of(9109, 10000, 9103, 9106, 6003, 6111);

    private final CloudflareSettings settings;
    private final String base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    CloudflareApi(CloudflareSettings settings) {
        this.settings = settings;
        this.base = ProviderText.base(settings.endpoint());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code GET path}; the whole envelope (with {@code result} and {@code result_info}). */
    JsonNode get(String path) throws DnsProviderException {
        return send("GET", path, null, Set.of()).orElseThrow();
    }

    /**
     * {@code POST path} with a JSON body.
     *
     * @return the envelope, or empty when Cloudflare answered one of the {@code tolerated} error codes
     */
    Optional<JsonNode> post(String path, Object body, Set<Integer> tolerated) throws DnsProviderException {
        try {
            return send("POST", path, json.writeValueAsString(body), tolerated);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a Cloudflare request body", e);
        }
    }

    /** {@code DELETE path}; empty when Cloudflare answered one of the {@code tolerated} error codes. */
    Optional<JsonNode> delete(String path, Set<Integer> tolerated) throws DnsProviderException {
        return send("DELETE", path, null, tolerated);
    }

    private Optional<JsonNode> send(String method, String path, String body, Set<Integer> tolerated)
            throws DnsProviderException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.timeout())
                .header("Authorization", "Bearer " + settings.apiToken()).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        String what = "Cloudflare " + method + " " + pathOnly(path);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DnsProviderException(what + ": no answer within " + settings.timeout().toMillis()
                    + " ms; trying again later may help", true, e);
        } catch (IOException e) {
            throw new DnsProviderException(what + ": cannot reach " + base + " ("
                    + ProviderText.scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), settings.apiToken()) + "); trying again later may help", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsProviderException(what + ": interrupted", true, e);
        }

        int status = response.statusCode();
        JsonNode envelope = parse(response.body());
        boolean isEnvelope = envelope != null && envelope.isObject() && envelope.has("success");
        if (status / 100 == 2 && isEnvelope && envelope.path("success").asBoolean(false)) {
            return Optional.of(envelope);
        }
        List<Integer> codes = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (isEnvelope) {
            for (JsonNode error : envelope.path("errors")) {
                codes.add(error.path("code").asInt(0));
                errors.add(error.path("code").asInt(0) + " " + ProviderText.scrub(error.path("message").asText(""), settings.apiToken()));
            }
        }
        if (codes.stream().anyMatch(tolerated::contains)) {
            return Optional.empty();
        }
        throw refusal(what, status, codes, errors, isEnvelope, response);
    }

    private DnsProviderException refusal(String what, int status, List<Integer> codes, List<String> errors,
                                         boolean isEnvelope, HttpResponse<String> response) {
        String answered = what + ": Cloudflare answered HTTP " + status
                + (errors.isEmpty() ? (isEnvelope ? "" : " without its JSON envelope") : " " + errors);
        if (status == 429) {
            String retryAfter = response.headers().firstValue("Retry-After").map(s -> ", retry after " + s + " s")
                    .orElse("");
            return new DnsProviderException(answered + ": too many requests" + retryAfter, true);
        }
        if (status >= 500) {
            return new DnsProviderException(answered + ": trying again later may help", true);
        }
        if (status == 401 || status == 403 || codes.stream().anyMatch(CREDENTIAL_CODES::contains)) {
            return new DnsProviderException(answered + ": the API token is invalid, expired or lacks a permission;"
                    + " use a token with Zone:Read and DNS:Edit on the zone", false);
        }
        return new DnsProviderException(answered, false);
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
