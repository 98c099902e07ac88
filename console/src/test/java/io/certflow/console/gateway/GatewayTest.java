package io.certflow.console.gateway;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway against a small HTTP server standing in for a service (it records what arrived and answers what a
 * certflow API answers): what the browser sends reaches {@code /api/**} with the caller's key, the answer comes
 * back as is, and a wrong service, a climbing path or a service that is down is a problem naming it, never a 500.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.bootstrap-servers=127.0.0.1:1", "spring.kafka.admin.auto-create=false",
                "certflow.console.request-timeout=3s"})
class GatewayTest {
    static final String KEY = "owner-secret-key-4711";
    static final Map<String, String> seen = new ConcurrentHashMap<>();
    static final HttpServer upstream = startUpstream();

    @LocalServerPort
    int port;
    @Autowired
    GatewayProperties properties;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("certflow.console.services.order", () -> "http://127.0.0.1:" + upstream.getAddress().getPort());
        registry.add("certflow.console.services.hosting", () -> "http://127.0.0.1:" + closedPort());
    }

    @AfterAll
    static void stop() {
        upstream.stop(0);
    }

    @Test
    void forwardsMethodPathQueryKeyAndBodyAndReturnsTheAnswerAsIs() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/svc/order/v1/orders?status=HOSTED&page=1"))
                .header("X-Api-Key", KEY).header("X-Certflow-Account", "acme").header("Cookie", "session=1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"domains\":[\"www.example.com\"]}")));

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue("X-Total-Count")).hasValue("7");
        assertThat(r.body()).isEqualTo("{\"title\":\"Conflict\",\"status\":409,\"detail\":\"already applied\"}");
        assertThat(seen).containsEntry("method", "POST").containsEntry("path", "/api/v1/orders")
                .containsEntry("query", "status=HOSTED&page=1").containsEntry("key", KEY)
                .containsEntry("account", "acme").containsEntry("body", "{\"domains\":[\"www.example.com\"]}")
                .containsEntry("cookie", "none");
    }

    @Test
    void anUnknownServiceIsA404Problem() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/svc/billing/v1/invoices")).header("X-Api-Key", KEY).GET());

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("There is no service 'billing'").contains("order");
    }

    @Test
    void aPathThatClimbsOutOfTheApiIsRefused() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/svc/order/v1/..%2F..%2Finternal/v1/x"))
                .header("X-Api-Key", KEY).GET());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(seen.get("path")).as("nothing reached the service").isNotEqualTo("/internal/v1/x");
    }

    @Test
    void aServiceThatIsDownIsA503NamingItWithoutTheKey(CapturedOutput output) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/svc/hosting/v1/certificates")).header("X-Api-Key", KEY).GET());

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("hosting-service is not reachable").doesNotContain(KEY);
        assertThat(output.getAll()).contains("hosting-service is not reachable").doesNotContain(KEY);
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsA504NamingIt() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/svc/order/v1/slow")).header("X-Api-Key", KEY).GET());

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("order-service did not answer within 3 s");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpServer startUpstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                if (exchange.getRequestURI().getPath().endsWith("/slow")) {
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                seen.put("method", exchange.getRequestMethod());
                seen.put("path", exchange.getRequestURI().getRawPath());
                seen.put("query", String.valueOf(exchange.getRequestURI().getRawQuery()));
                seen.put("key", String.valueOf(exchange.getRequestHeaders().getFirst("X-Api-Key")));
                seen.put("account", String.valueOf(exchange.getRequestHeaders().getFirst("X-Certflow-Account")));
                seen.put("cookie", exchange.getRequestHeaders().containsKey("Cookie") ? "sent" : "none");
                seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] answer = "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"already applied\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().add("X-Total-Count", "7");
                exchange.sendResponseHeaders(409, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
