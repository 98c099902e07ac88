package io.certflow.console.gateway;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends one browser request on to a service's {@code /api/**} and brings its answer back unchanged (status,
 * body, content type and the few headers a page reads). Only the headers the APIs need go out — the caller's
 * {@code X-Api-Key} and {@code X-Certflow-Account}, {@code Content-Type}, {@code Accept} — so cookies and
 * hop-by-hop headers never leave the console. A service that cannot be reached is a {@link ServiceUnavailable}
 * naming it; nothing here logs a header.
 */
@Component
public class ServiceGateway {
    private static final Logger log = LoggerFactory.getLogger(ServiceGateway.class);

    /** Request headers passed on, lower case. */
    static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("x-api-key", "x-certflow-account", "content-type", "accept");
    /** Response headers passed back, lower case (hop-by-hop ones and anything naming the service's address stay out). */
    static final Set<String> RETURNED_RESPONSE_HEADERS = Set.of("content-type", "x-total-count", "retry-after");
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final GatewayProperties properties;
    private final HttpClient http;

    public ServiceGateway(GatewayProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** One request as the browser sent it, with the path below the service's {@code /api/}. */
    public record Forward(String service, String method, String apiPath, String rawQuery,
                          Map<String, String> headers, byte[] body) {
    }

    /** The service's answer, to send back as is. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    /** The service did not answer: down, refusing connections, or too slow. */
    public static class ServiceUnavailable extends RuntimeException {
        private final int status;

        public ServiceUnavailable(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public boolean knows(String service) {
        return properties.services().containsKey(service);
    }

    /** Forwards the request and returns the service's answer; {@link #knows} the service first. */
    public Answer forward(Forward f) throws InterruptedException {
        URI base = properties.services().get(f.service());
        if (base == null) {
            throw new IllegalArgumentException("unknown service " + f.service());
        }
        String baseText = base.toString().replaceAll("/+$", "");
        URI target = URI.create(baseText + "/api/" + f.apiPath() + (f.rawQuery() == null ? "" : "?" + f.rawQuery()));
        String method = f.method().toUpperCase(Locale.ROOT);
        HttpRequest.BodyPublisher body = METHODS_WITH_BODY.contains(method) && f.body() != null && f.body().length > 0
                ? HttpRequest.BodyPublishers.ofByteArray(f.body()) : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(properties.requestTimeout()).method(method, body);
        f.headers().forEach((name, value) -> {
            if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && value != null) {
                request.header(name, value);
            }
        });
        String name = f.service() + "-service";
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().map().forEach((h, values) -> {
                if (RETURNED_RESPONSE_HEADERS.contains(h.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
                    headers.put(h, values.get(0));
                }
            });
            return new Answer(response.statusCode(), headers, response.body());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            log.warn("{} is not reachable at {}: {}", name, baseText, e.getClass().getSimpleName());
            throw new ServiceUnavailable(503, name + " is not reachable; try again when it is back.");
        } catch (HttpTimeoutException e) {
            log.warn("{} did not answer {} {} within {}", name, method, "/api/" + f.apiPath(), properties.requestTimeout());
            throw new ServiceUnavailable(504, name + " did not answer within " + properties.requestTimeout().toSeconds() + " s.");
        } catch (IOException e) {
            log.warn("{} failed on {} {}: {}", name, method, "/api/" + f.apiPath(), e.getClass().getSimpleName());
            throw new ServiceUnavailable(502, name + " gave no usable answer; try again.");
        }
    }

    /** The service names the gateway forwards to. */
    public List<String> services() {
        return properties.services().keySet().stream().sorted().toList();
    }
}
