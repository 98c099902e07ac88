package io.certflow.console.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.Topics;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.beans.factory.annotation.Value;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A certificate's timeline on a real (embedded, KRaft) broker with three partitions per topic: the events of one
 * certificate (and its order's purchase events) come back oldest first from every topic, none of another
 * certificate's; the console reads them only after hosting-service said, for the caller's own key, that the
 * certificate is theirs. hosting- and order-service are small HTTP stand-ins here (answering as those services do
 * for one owner); the browser test runs the timeline against the real services.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "certflow.security.rate-limit.requests-per-second=0",
        "certflow.messaging.partitions=3",
        "server.shutdown=immediate",
        "logging.level.kafka=WARN",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(kraft = true, partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class TimelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ORDERED = Instant.now().minusSeconds(60);
    private static final String CERTIFICATE = "crt-" + UUID.randomUUID();
    private static final String ORDER = "ord-" + UUID.randomUUID();
    private static HttpServer services;

    @BeforeAll
    static void startTheStandIns() throws IOException {
        services = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        services.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean owner = TestApiKeys.KEY_A.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"));
            int status;
            String body;
            if (owner && path.equals("/hosting/api/v1/certificates/" + CERTIFICATE)) {
                status = 200;
                body = "{\"certificateId\":\"" + CERTIFICATE + "\",\"orderId\":\"" + ORDER + "\",\"createdAt\":\""
                        + ORDERED.plusSeconds(5) + "\"}";
            } else if (owner && path.equals("/order/api/v1/orders/" + ORDER)) {
                status = 200;
                body = "{\"orderId\":\"" + ORDER + "\",\"createdAt\":\"" + ORDERED + "\"}";
            } else {
                status = 404;
                body = "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"No certificate here.\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        services.start();
    }

    @AfterAll
    static void stopTheStandIns() {
        services.stop(0);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String base = "http://127.0.0.1:" + services.getAddress().getPort();
        registry.add("certflow.console.services.hosting", () -> base + "/hosting");
        registry.add("certflow.console.services.order", () -> base + "/order");
        registry.add("certflow.console.services.verification", () -> "http://127.0.0.1:9");
    }

    @LocalServerPort
    int port;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theOwnerSeesEveryEventOfTheCertificateAndOfItsOrderAndNoOtherCertificates() throws Exception {
        List<String> published = new ArrayList<>();
        TopicProbe probe = new TopicProbe(bootstrapServers);
        try {
            published.add(publish(probe, Topics.PURCHASE_COMPLETED, ORDER, "io.certflow.purchase.completed.v1", 0));
            published.add(publish(probe, Topics.CERTIFICATE_REQUESTED, CERTIFICATE, "io.certflow.certificate.requested.v1", 1));
            published.add(publish(probe, Topics.CHALLENGE_REQUESTED, CERTIFICATE, "io.certflow.challenge.requested.v1", 2));
            published.add(publish(probe, Topics.CHALLENGE_READY, CERTIFICATE, "io.certflow.challenge.ready.v1", 3));
            published.add(publish(probe, Topics.CERTIFICATE_ISSUED, CERTIFICATE, "io.certflow.certificate.issued.v1", 4));
            for (int i = 0; i < 20; i++) { // other certificates, on every partition of the same topics
                publish(probe, Topics.CERTIFICATE_ISSUED, "crt-other-" + i, "io.certflow.certificate.issued.v1", 4);
                publish(probe, Topics.CHALLENGE_REQUESTED, "crt-other-" + i, "io.certflow.challenge.requested.v1", 2);
            }
            // account-wide: not the certificate's, whatever its key
            publish(probe, Topics.MAINTENANCE_WINDOWS_CHANGED, CERTIFICATE, "io.certflow.maintenance-windows.changed.v1", 5);
        } finally {
            probe.close();
        }

        HttpResponse<String> answer = get("/timeline/certificates/" + CERTIFICATE, TestApiKeys.KEY_A);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode timeline = JSON.readTree(answer.body());
        assertThat(timeline.get("certificateId").asText()).isEqualTo(CERTIFICATE);
        assertThat(timeline.get("orderId").asText()).isEqualTo(ORDER);
        assertThat(timeline.get("cut").asBoolean()).isFalse();
        List<String> ids = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        timeline.get("events").forEach(e -> {
            ids.add(e.get("ceId").asText());
            topics.add(e.get("topic").asText());
        });
        assertThat(ids).containsExactlyElementsOf(published);
        assertThat(topics).containsExactly(Topics.PURCHASE_COMPLETED, Topics.CERTIFICATE_REQUESTED,
                Topics.CHALLENGE_REQUESTED, Topics.CHALLENGE_READY, Topics.CERTIFICATE_ISSUED);
        assertThat(timeline.at("/events/2/value").asText()).contains(CERTIFICATE);
    }

    @Test
    void anyoneElseGetsHostingsAnswerAndNoEvent() throws Exception {
        HttpResponse<String> otherKey = get("/timeline/certificates/" + CERTIFICATE, TestApiKeys.KEY_B);
        HttpResponse<String> noKey = get("/timeline/certificates/" + CERTIFICATE, null);

        assertThat(otherKey.statusCode()).isEqualTo(404);
        assertThat(otherKey.body()).contains("No certificate here.").doesNotContain("ceId");
        assertThat(noKey.statusCode()).isEqualTo(404);
    }

    @Test
    void aPathThatCannotNameACertificateIsABadRequest() throws Exception {
        HttpResponse<String> answer = get("/timeline/certificates/..%2Fadmin", TestApiKeys.KEY_A);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    }

    private String publish(TopicProbe probe, String topic, String key, String ceType, int secondsAfterOrder) {
        String id = UUID.randomUUID().toString();
        Instant at = ORDERED.plusSeconds(secondsAfterOrder);
        probe.publishRaw(topic, key, "{\"eventId\":\"" + id + "\",\"certificateId\":\"" + key + "\"}", Map.of(
                CloudEventHeaders.ID, id, CloudEventHeaders.TYPE, ceType, CloudEventHeaders.SOURCE, "/test",
                CloudEventHeaders.TIME, at.toString()));
        return id;
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
