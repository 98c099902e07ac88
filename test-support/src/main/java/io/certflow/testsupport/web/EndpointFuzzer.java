package io.certflow.testsupport.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Property-based fuzzing of every HTTP endpoint of a running service. The endpoints come from the
 * application's {@link RequestMappingHandlerMapping} (every {@code /api/**} and {@code /internal/**}
 * mapping), so a new endpoint is fuzzed without touching a test. For each, it draws requests at random —
 * hostile path variables, query parameters of the wrong type, broken or wrongly typed bodies (field by
 * field, from the {@code @RequestBody} type), wrong content types, huge bodies, missing or forged
 * credentials — and checks the {@link ResponseCheck} property on every answer: a 2xx or a
 * problem+json 4xx, never a 5xx.
 *
 * <p>Generation is seeded ({@code -Dcertflow.fuzz.seed=…} replays a run; the seed is in every failure),
 * {@code -Dcertflow.fuzz.tries=…} sets the requests per endpoint,
 * and a failing request is shrunk: each of its parts is put back to a valid one while the failure stays,
 * so the report shows only what causes it. A plain seeded generator, not a property-testing engine: the
 * requests run inside the service's Spring integration test (JUnit Jupiter), which an engine of its own
 * would not share, and the counterexamples are whole HTTP requests that part-wise shrinking reduces well.
 * (jqwik is not used: since 1.10 it carries a clause against use by AI coding agents, which wrote this,
 * and prints an instruction addressed to them into every test run.)
 */
public final class EndpointFuzzer {

    private static final int MEGABYTE = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Endpoint> endpoints;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final long seed;
    private String apiKey;
    private String internalToken;
    private int tries = Integer.getInteger("certflow.fuzz.tries", 60);
    private final Map<String, List<String>> knownValues = new HashMap<>();
    private final Map<String, String> validBodies = new HashMap<>();
    private final List<String> secrets = new ArrayList<>();

    private EndpointFuzzer(List<Endpoint> endpoints, String baseUrl, long seed) {
        this.endpoints = endpoints;
        this.baseUrl = baseUrl;
        this.seed = seed;
    }

    /** A fuzzer of every {@code /api/**} and {@code /internal/**} endpoint of the application, listening on the port. */
    public static EndpointFuzzer of(ApplicationContext context, int port) {
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        Long fixed = Long.getLong("certflow.fuzz.seed");
        return new EndpointFuzzer(Endpoint.of(mapping), "http://127.0.0.1:" + port,
                fixed != null ? fixed : new Random().nextLong());
    }

    /** The API key sent on {@code /api/**} (and checked never to come back). */
    public EndpointFuzzer apiKey(String key) {
        this.apiKey = key;
        secrets.add(key);
        return this;
    }

    /** The service credential sent on {@code /internal/**} (and checked never to come back). */
    public EndpointFuzzer internalToken(String token) {
        this.internalToken = token;
        secrets.add(token);
        return this;
    }

    /** Further strings that must never appear in an answer (credentials stored through the API). */
    public EndpointFuzzer secrets(String... values) {
        secrets.addAll(List.of(values));
        return this;
    }

    /** Requests per endpoint (default 60, or {@code -Dcertflow.fuzz.tries=…} for a longer run). */
    public EndpointFuzzer tries(int count) {
        this.tries = count;
        return this;
    }

    /** Values of a path variable that name real things (the first is used where the variable is not fuzzed). */
    public EndpointFuzzer knownValues(String pathVariable, String... values) {
        knownValues.computeIfAbsent(pathVariable, k -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    /** A valid body for an endpoint ({@code "POST /api/v1/orders"}); others get one derived from the body type. */
    public EndpointFuzzer validBody(String endpoint, String json) {
        validBodies.put(endpoint, json);
        return this;
    }

    /** The endpoints found, in a stable order. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /**
     * Sends {@link #tries} random requests to the endpoint and returns the failures found, each shrunk
     * and described with the seed that replays it; empty when the property held.
     */
    public List<String> fuzz(Endpoint endpoint) {
        Random random = new Random(seed ^ endpoint.toString().hashCode());
        HostileValues values = new HostileValues(random);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < tries && failures.size() < 3; i++) {
            FuzzRequest request = draw(endpoint, values);
            Optional<String> violation = check(request);
            if (violation.isPresent()) {
                FuzzRequest smallest = request.expectedStatus() == null ? shrink(request, violation.get()) : request;
                failures.add(violation.get() + " for " + mask(smallest.toString()) + " (seed " + seed + ")");
            }
        }
        return failures;
    }

    /** The request with every part valid: known ids, no query, the credential, a valid body. */
    FuzzRequest baseline(Endpoint endpoint) {
        List<String> path = endpoint.pathVariables().stream()
                .map(v -> knownValues.getOrDefault(v, List.of("fuzz-" + v)).get(0)).toList();
        Map<String, String> headers = new LinkedHashMap<>();
        if (endpoint.internal()) {
            if (internalToken != null) {
                headers.put("X-Internal-Token", internalToken);
            }
        } else if (apiKey != null) {
            headers.put("X-Api-Key", apiKey);
        }
        byte[] body = null;
        if (endpoint.readsBody()) {
            headers.put("Content-Type", "application/json");
            body = validBody(endpoint).getBytes(StandardCharsets.UTF_8);
        }
        return new FuzzRequest(endpoint, path, List.of(), headers, body, "valid", null);
    }

    private String validBody(Endpoint endpoint) {
        String given = validBodies.get(endpoint.toString());
        return given != null ? given : BodySkeleton.of(endpoint.bodyType()).toString();
    }

    private FuzzRequest draw(Endpoint endpoint, HostileValues values) {
        FuzzRequest valid = baseline(endpoint);
        int kind = values.nextInt(20);
        if (kind == 0) {
            String header = endpoint.internal() ? "X-Internal-Token" : "X-Api-Key";
            String forged = values.pick(List.of("", "key-", "KEY-A", "null", UUID.randomUUID().toString(), "k".repeat(4_000)));
            boolean missing = values.nextInt(2) == 0;
            return new FuzzRequest(endpoint, valid.pathValues(), valid.query(), valid.headers(), valid.body(),
                    missing ? "no credential" : "forged credential", 401).withHeader(header, missing ? null : forged);
        } else if (kind == 1) {
            byte[] big = new byte[MEGABYTE + values.nextInt(MEGABYTE)];
            Arrays.fill(big, (byte) ' ');
            big[0] = '[';
            big[big.length - 1] = ']';
            return new FuzzRequest(endpoint, valid.pathValues(), valid.query(), valid.headers(), big, "1 MB body", 413)
                    .withHeader("Content-Type", "application/json");
        } else if (kind <= 6 && !endpoint.pathVariables().isEmpty()) {
            return hostilePath(valid, values);
        } else if (kind <= 9) {
            return hostileQuery(valid, values);
        } else if (kind == 10) {
            return relabel(valid.withHeader("Accept", values.accept()), "Accept");
        } else if (endpoint.readsBody() && kind == 11) {
            return relabel(valid.withHeader("Content-Type", values.contentType()), "Content-Type");
        } else if (endpoint.readsBody() && kind <= 14) {
            return relabel(valid.withBody(values.body(validBody(endpoint)).getBytes(StandardCharsets.UTF_8)), "body");
        } else if (endpoint.readsBody()) {
            return hostileField(valid, endpoint, values);
        } else if (!endpoint.pathVariables().isEmpty()) {
            return hostilePath(valid, values);
        }
        return hostileQuery(valid, values);
    }

    private FuzzRequest hostilePath(FuzzRequest valid, HostileValues values) {
        List<String> path = new ArrayList<>(valid.pathValues());
        int index = values.nextInt(path.size());
        List<String> known = knownValues.getOrDefault(valid.endpoint().pathVariables().get(index), List.of());
        path.set(index, !known.isEmpty() && values.nextInt(3) == 0 ? values.pick(known) : values.pathValue());
        return relabel(valid.withPathValues(path), "path variable " + valid.endpoint().pathVariables().get(index));
    }

    private FuzzRequest hostileQuery(FuzzRequest valid, HostileValues values) {
        List<List<String>> query = new ArrayList<>();
        List<Map.Entry<String, Class<?>>> parameters = new ArrayList<>(valid.endpoint().queryParameters().entrySet());
        if (parameters.isEmpty()) {
            query.add(List.of(values.pick(List.of("page", "size", "$where", "x")), values.queryValue(String.class)));
        } else {
            for (Map.Entry<String, Class<?>> parameter : parameters) {
                if (values.nextInt(2) == 0) {
                    query.add(List.of(parameter.getKey(), values.queryValue(parameter.getValue())));
                    if (values.nextInt(4) == 0) {
                        query.add(List.of(parameter.getKey(), values.queryValue(parameter.getValue())));
                    }
                }
            }
        }
        return relabel(valid.withQuery(query), "query");
    }

    private FuzzRequest hostileField(FuzzRequest valid, Endpoint endpoint, HostileValues values) {
        JsonNode body;
        try {
            body = JSON.readTree(validBody(endpoint));
        } catch (IOException e) {
            throw new IllegalArgumentException("the valid body of " + endpoint + " is not JSON", e);
        }
        if (!(body instanceof ObjectNode object) || object.isEmpty()) {
            return relabel(valid.withBody(values.body(validBody(endpoint)).getBytes(StandardCharsets.UTF_8)), "body");
        }
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        String field = values.pick(fields);
        return relabel(valid.withBody(values.withHostileField(object, field).toString().getBytes(StandardCharsets.UTF_8)),
                "body field " + field);
    }

    private static FuzzRequest relabel(FuzzRequest request, String label) {
        return new FuzzRequest(request.endpoint(), request.pathValues(), request.query(), request.headers(),
                request.body(), label, request.expectedStatus());
    }

    private FuzzRequest shrink(FuzzRequest failing, String violation) {
        FuzzRequest valid = baseline(failing.endpoint());
        List<UnaryOperator<FuzzRequest>> restores = List.of(r -> r.withPathValues(valid.pathValues()),
                r -> r.withQuery(List.of()), r -> r.withBody(valid.body()), r -> r.withHeaders(valid.headers()));
        FuzzRequest smallest = failing;
        for (UnaryOperator<FuzzRequest> restore : restores) {
            FuzzRequest candidate = restore.apply(smallest);
            if (check(candidate).filter(violation::equals).isPresent()) {
                smallest = candidate;
            }
        }
        return smallest;
    }

    /** Sends the request and checks the answer; the violation, if any. */
    Optional<String> check(FuzzRequest request) {
        HttpResponse<String> response;
        try {
            response = send(request);
        } catch (IOException e) {
            // a server refusing an oversized request line answers 400 and closes at once, and its close (a reset,
            // the request's body unread) can reach the client before the answer does: asked once more, a second
            // silence is the violation
            try {
                response = send(request);
            } catch (IOException again) {
                return Optional.of("no answer (" + again.getClass().getSimpleName() + ")");
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(interrupted);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new ResponseCheck(secrets).violation(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body(), request.expectedStatus());
    }

    private HttpResponse<String> send(FuzzRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(request)).timeout(Duration.ofSeconds(60));
        request.headers().forEach(builder::header);
        HttpMethod method = request.endpoint().method();
        builder.method(method.name(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(FuzzRequest request) {
        String path = request.endpoint().pattern();
        List<String> variables = request.endpoint().pathVariables();
        for (int i = 0; i < variables.size(); i++) {
            path = path.replaceFirst("\\{" + Pattern.quote(variables.get(i)) + "(:[^}]*)?}",
                    Matcher.quoteReplacement(encode(request.pathValues().get(i))));
        }
        StringBuilder uri = new StringBuilder(baseUrl).append(path);
        String separator = "?";
        for (List<String> parameter : request.query()) {
            uri.append(separator).append(encode(parameter.get(0))).append('=').append(encode(parameter.get(1)));
            separator = "&";
        }
        return URI.create(uri.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }
}
