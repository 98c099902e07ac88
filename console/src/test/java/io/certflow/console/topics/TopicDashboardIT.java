package io.certflow.console.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.console.topics.deadletter.DeadLetterGauges;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.Topics;
import io.certflow.platform.web.ApiKeys;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' dashboards on a real (embedded, KRaft) broker: what the JSON API and the live stream answer
 * after events were published, a group committed, and platform's own listener set-up dead-lettered a record;
 * replaying it; and who is refused. Each test uses its own topics, so the tests do not see each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "certflow.security.api-keys.key-operator.sha256=" + TestApiKeys.KEY_OPERATOR_SHA256,
        "certflow.security.api-keys.key-operator.role=OPERATOR",
        "certflow.security.api-keys.key-a.sha256=" + TestApiKeys.KEY_A_SHA256,
        "certflow.security.api-keys.key-a.account=account-a",
        "certflow.security.rate-limit.requests-per-second=0",
        "certflow.console.ops.replay-keys=" + TopicDashboardIT.REPLAY_KEY,
        "certflow.console.ops.stream-interval=200ms",
        "certflow.console.ops.metrics-interval=1h",
        "certflow.messaging.partitions=1",
        "server.shutdown=immediate",
        "logging.level.kafka=WARN",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.state.change.logger=WARN"})
@EmbeddedKafka(kraft = true, partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@AutoConfigureObservability(tracing = false)
@Import({TopicProbe.class, TopicDashboardIT.FailingConsumer.class})
class TopicDashboardIT {

    /** An operator key that may also replay; in tests a key's name is the key itself. */
    static final String REPLAY_KEY = "key-replay";
    private static final String OPERATOR = TestApiKeys.KEY_OPERATOR;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUED_TYPE = "io.certflow.certificate.issued.v1";

    @DynamicPropertySource
    static void replayKey(DynamicPropertyRegistry registry) {
        registry.add("certflow.security.api-keys." + REPLAY_KEY + ".sha256", () -> ApiKeys.sha256(REPLAY_KEY));
        registry.add("certflow.security.api-keys." + REPLAY_KEY + ".role", () -> "OPERATOR");
    }

    /** A consumer of certificate-issued on platform's listener set-up: unreadable records go to the DLT. */
    @TestConfiguration
    static class FailingConsumer {
        @KafkaListener(topics = Topics.CERTIFICATE_ISSUED, groupId = "ops-it-issued-consumer")
        void on(ConsumerRecord<String, Object> record) {
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DeadLetterGauges gauges;
    @Autowired
    TopicProbe probe;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void showsEachTopicsCountsAndLatestEventsNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(publishEvent(Topics.RENEWAL_DUE, "crt-" + i, "io.certflow.renewal.due.v1", "{\"n\":" + i + "}"));
        }

        JsonNode topic = get("/ops/api/topics/" + Topics.RENEWAL_DUE, OPERATOR).json();
        assertThat(topic.at("/topic/name").asText()).isEqualTo(Topics.RENEWAL_DUE);
        assertThat(topic.at("/topic/partitions").asInt()).isEqualTo(1);
        assertThat(topic.at("/topic/total").asLong()).isEqualTo(3);
        assertThat(topic.at("/topic/lastMinute").asLong()).isEqualTo(3);
        assertThat(topic.at("/topic/deadLetterTopic").asText()).isEqualTo(Topics.RENEWAL_DUE + "-dlt");
        JsonNode latest = topic.get("latest");
        assertThat(latest).hasSize(3);
        assertThat(latest.get(0).get("ceId").asText()).isEqualTo(ids.get(2));
        assertThat(latest.get(0).get("key").asText()).isEqualTo("crt-2");
        assertThat(latest.get(0).get("ceType").asText()).isEqualTo("io.certflow.renewal.due.v1");
        assertThat(latest.get(0).get("value").asText()).isEqualTo("{\"n\":2}");
        assertThat(latest.get(0).get("truncated").asBoolean()).isFalse();
        assertThat(latest.get(2).get("ceId").asText()).isEqualTo(ids.get(0));

        JsonNode limited = get("/ops/api/topics/" + Topics.RENEWAL_DUE + "?limit=1", OPERATOR).json();
        assertThat(limited.get("latest")).hasSize(1);
        assertThat(limited.at("/latest/0/ceId").asText()).isEqualTo(ids.get(2));

        JsonNode overview = get("/ops/api/overview", OPERATOR).json();
        JsonNode row = find(overview.get("topics"), t -> t.get("name").asText().equals(Topics.RENEWAL_DUE));
        assertThat(row.get("total").asLong()).isEqualTo(3);
        assertThat(overview.get("topics")).hasSize(Topics.ALL.size());
    }

    @Test
    void showsAValueOverTheBoundTruncatedWithItsSize() throws Exception {
        String big = "{\"padding\":\"" + "x".repeat(5000) + "\"}";
        publishEvent(Topics.CERTIFICATE_EXPIRING, "crt-big", "io.certflow.certificate.expiring.v1", big);

        JsonNode event = get("/ops/api/topics/" + Topics.CERTIFICATE_EXPIRING, OPERATOR).json().at("/latest/0");

        assertThat(event.get("truncated").asBoolean()).isTrue();
        assertThat(event.get("size").asInt()).isEqualTo(big.length());
        assertThat(event.get("value").asText()).hasSize(4096).isEqualTo(big.substring(0, 4096));
    }

    @Test
    void showsTheLagOfAGroupPerPartitionAfterItCommitted() throws Exception {
        for (int i = 0; i < 3; i++) {
            publishEvent(Topics.DEPLOYMENT_COMPLETED, "crt-" + i, "io.certflow.deployment.completed.v1", "{}");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.alterConsumerGroupOffsets("ops-it-lagging", Map.of(
                    new TopicPartition(Topics.DEPLOYMENT_COMPLETED, 0), new OffsetAndMetadata(1)))
                    .all().get(30, TimeUnit.SECONDS);
        }

        JsonNode group = find(get("/ops/api/overview", OPERATOR).json().get("groups"),
                g -> g.get("groupId").asText().equals("ops-it-lagging"));

        assertThat(group.get("totalLag").asLong()).isEqualTo(2);
        assertThat(group.get("members")).isEmpty();
        JsonNode partition = group.at("/partitions/0");
        assertThat(partition.get("topic").asText()).isEqualTo(Topics.DEPLOYMENT_COMPLETED);
        assertThat(partition.get("partition").asInt()).isZero();
        assertThat(partition.get("committed").asLong()).isEqualTo(1);
        assertThat(partition.get("end").asLong()).isEqualTo(3);
        assertThat(partition.get("lag").asLong()).isEqualTo(2);
    }

    @Test
    void showsADeadLetterWithItsReasonAndReplaysItOnceWithItsHeaders() throws Exception {
        String ceId = publishEvent(Topics.CERTIFICATE_ISSUED, "crt-poison", ISSUED_TYPE, "{not json");
        String dlt = Topics.deadLetter(Topics.CERTIFICATE_ISSUED);

        JsonNode deadLetters = eventually(() -> get("/ops/api/dead-letters/" + dlt, OPERATOR).json(),
                d -> !d.get("records").isEmpty());
        JsonNode letter = deadLetters.at("/records/0");
        assertThat(deadLetters.get("depth").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(deadLetters.get("originalTopic").asText()).isEqualTo(Topics.CERTIFICATE_ISSUED);
        assertThat(letter.get("reason").asText()).isEqualTo("unreadable CertificateIssued: the value is not JSON");
        assertThat(letter.get("exceptionClass").asText()).isNotBlank();
        assertThat(letter.get("originalTopic").asText()).isEqualTo(Topics.CERTIFICATE_ISSUED);
        assertThat(letter.get("originalOffset").asLong()).isZero();
        assertThat(letter.get("consumerGroup").asText()).isEqualTo("ops-it-issued-consumer");
        assertThat(letter.at("/record/ceId").asText()).isEqualTo(ceId);
        assertThat(letter.at("/record/value").asText()).isEqualTo("{not json");
        assertThat(letter.has("replay")).isFalse();
        JsonNode overviewRow = find(get("/ops/api/overview", OPERATOR).json().get("deadLetters"),
                d -> d.get("topic").asText().equals(dlt));
        assertThat(overviewRow.get("depth").asLong()).isGreaterThanOrEqualTo(1);
        gauges.refresh();
        assertThat(scrape()).contains("certflow_dead_letters_held{topic=\"" + Topics.CERTIFICATE_ISSUED + "\"} 1.0",
                "certflow_dead_letters_waiting{topic=\"" + Topics.CERTIFICATE_ISSUED + "\"} 1.0",
                "certflow_dead_letters_waiting{topic=\"" + Topics.ORDER_CANCELLED + "\"} 0.0");

        String replayPath = "/ops/api/dead-letters/" + dlt + "/records/0/" + letter.at("/record/offset").asLong() + "/replay";
        Answer readOnly = post(replayPath, OPERATOR);
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.json().get("detail").asText()).contains("certflow.console.ops.replay-keys");

        Answer replayed = post(replayPath, REPLAY_KEY);
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(replayed.json().get("topic").asText()).isEqualTo(Topics.CERTIFICATE_ISSUED);
        assertThat(replayed.json().get("replayedBy").asText()).isEqualTo(REPLAY_KEY);
        long copyOffset = replayed.json().get("topicOffset").asLong();

        List<ConsumerRecord<String, String>> onTopic = eventually(() -> probe.records(Topics.CERTIFICATE_ISSUED),
                records -> records.stream().anyMatch(r -> r.offset() == copyOffset));
        ConsumerRecord<String, String> copy = onTopic.stream().filter(r -> r.offset() == copyOffset).findFirst().orElseThrow();
        assertThat(copy.key()).isEqualTo("crt-poison");
        assertThat(copy.value()).isEqualTo("{not json");
        assertThat(TopicProbe.header(copy, CloudEventHeaders.ID)).isEqualTo(ceId);
        assertThat(TopicProbe.header(copy, CloudEventHeaders.TYPE)).isEqualTo(ISSUED_TYPE);
        assertThat(TopicProbe.header(copy, CloudEventHeaders.SOURCE)).isEqualTo("/ops-it");
        assertThat(TopicProbe.header(copy, "certflow_replayed-from")).isEqualTo(dlt + "/0/0");
        assertThat(TopicProbe.header(copy, "certflow_dlt-reason")).isNull();
        assertThat(TopicProbe.header(copy, "kafka_dlt-original-topic")).isNull();

        JsonNode shown = find(get("/ops/api/dead-letters/" + dlt, OPERATOR).json().get("records"),
                r -> r.at("/record/offset").asLong() == 0);
        assertThat(shown.at("/replay/replayedBy").asText()).isEqualTo(REPLAY_KEY);
        assertThat(shown.at("/replay/topicOffset").asLong()).isEqualTo(copyOffset);

        // the copy is still unreadable: platform dead-letters it again, as a new dead letter that names the first
        JsonNode again2 = eventually(() -> get("/ops/api/dead-letters/" + dlt, OPERATOR).json(),
                d -> d.get("records").size() >= 2);
        assertThat(find(again2.get("records"), r -> r.at("/record/offset").asLong() == 1).get("replayedFrom").asText())
                .isEqualTo(dlt + "/0/0");

        gauges.refresh(); // the first dead letter was replayed, its copy waits
        assertThat(scrape()).contains("certflow_dead_letters_held{topic=\"" + Topics.CERTIFICATE_ISSUED + "\"} 2.0",
                "certflow_dead_letters_waiting{topic=\"" + Topics.CERTIFICATE_ISSUED + "\"} 1.0");

        Answer again = post(replayPath, REPLAY_KEY);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().get("detail").asText()).startsWith("This dead letter was already replayed");
    }

    @Test
    void refusesAnyoneButOperatorsAndAnswersMistakesAsProblems() throws Exception {
        Answer noKey = get("/ops/api/overview", null);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.contentType()).startsWith("application/problem+json");
        assertThat(get("/ops/api/overview", "not-a-key").status()).isEqualTo(401);
        Answer owner = get("/ops/api/overview", TestApiKeys.KEY_A);
        assertThat(owner.status()).isEqualTo(403);
        assertThat(owner.json().get("detail").asText()).contains("not an operator key");
        assertThat(get("/ops/api/stream", null).status()).isEqualTo(401);
        assertThat(post("/ops/api/dead-letters/certflow.renewal-due-dlt/records/0/0/replay", TestApiKeys.KEY_A).status())
                .isEqualTo(403);

        Answer unknownTopic = get("/ops/api/topics/payments", OPERATOR);
        assertThat(unknownTopic.status()).isEqualTo(404);
        assertThat(unknownTopic.contentType()).startsWith("application/problem+json");
        assertThat(get("/ops/api/dead-letters/" + Topics.RENEWAL_DUE, OPERATOR).status()).isEqualTo(404);
        assertThat(post("/ops/api/dead-letters/certflow.renewal-due-dlt/records/0/99/replay", REPLAY_KEY).status())
                .isEqualTo(404);
        assertThat(post("/ops/api/dead-letters/certflow.renewal-due-dlt/records/x/0/replay", REPLAY_KEY).status())
                .isEqualTo(400);
        assertThat(get("/ops/api/topics/" + Topics.RENEWAL_DUE + "?limit=0", OPERATOR).status()).isEqualTo(400);

        JsonNode me = get("/ops/api/me", OPERATOR).json();
        assertThat(me.get("keyName").asText()).isEqualTo(OPERATOR);
        assertThat(me.get("mayReplay").asBoolean()).isFalse();
        assertThat(get("/ops/api/me", REPLAY_KEY).json().get("mayReplay").asBoolean()).isTrue();
        assertThat(get("/ops/api/me", REPLAY_KEY).body()).doesNotContain(ApiKeys.sha256(REPLAY_KEY));
    }

    @Test
    void servesThePageThatAsksForTheKeyWithoutOne() throws Exception {
        Answer redirect = get("/ops/", null);
        assertThat(redirect.status()).isEqualTo(302);

        Answer page = get("/ops/index.html", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"key-form\"", "id=\"topics-table\"", "id=\"dlt-table\"",
                "src=\"app.js\"");
        assertThat(get("/ops/stream.js", null).body()).contains("'X-Api-Key'").doesNotContain("EventSource(");
    }

    @Test
    @Timeout(120)
    void streamsAnUpdateWhenATopicChanges() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ops/api/stream"))
                .header("X-Api-Key", OPERATOR).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            JsonNode first = nextOverview(lines);
            assertThat(totalOf(first, Topics.ORDER_CANCELLED)).isZero();

            publishEvent(Topics.ORDER_CANCELLED, "crt-cancelled", "io.certflow.order.cancelled.v1", "{}");

            JsonNode update = nextOverview(lines);
            while (totalOf(update, Topics.ORDER_CANCELLED) == 0) {
                update = nextOverview(lines);
            }
            assertThat(totalOf(update, Topics.ORDER_CANCELLED)).isEqualTo(1);
            assertThat(find(update.get("topics"), t -> t.get("name").asText().equals(Topics.ORDER_CANCELLED))
                    .get("lastMinute").asLong()).isEqualTo(1);
        } finally {
            response.body().close();
        }
    }

    private String scrape() throws Exception {
        Answer metrics = get("/actuator/prometheus", null);
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    /** Reads the stream up to the next {@code overview} event and returns its data. */
    private static JsonNode nextOverview(BufferedReader lines) throws Exception {
        String event = null;
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5));
            } else if (line.isEmpty()) {
                if ("overview".equals(event) && !data.isEmpty()) {
                    return JSON.readTree(data.toString());
                }
                event = null;
                data.setLength(0);
            }
        }
        throw new AssertionError("the stream ended before an overview event");
    }

    private static long totalOf(JsonNode overview, String topic) {
        return find(overview.get("topics"), t -> t.get("name").asText().equals(topic)).get("total").asLong();
    }

    /** Publishes an event as a producer does (CloudEvents headers, JSON value); returns its ce_id. */
    private String publishEvent(String topic, String key, String ceType, String value) {
        String id = UUID.randomUUID().toString();
        probe.publishRaw(topic, key, value, Map.of(CloudEventHeaders.SPEC_VERSION, "1.0", CloudEventHeaders.ID, id,
                CloudEventHeaders.TYPE, ceType, CloudEventHeaders.SOURCE, "/ops-it",
                CloudEventHeaders.TIME, Instant.now().toString(), CloudEventHeaders.SUBJECT, key,
                CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON));
        return id;
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> matching) {
        for (JsonNode node : array) {
            if (matching.test(node)) {
                return node;
            }
        }
        throw new AssertionError("nothing matching in " + array);
    }

    /** Asks again until the answer matches (for what a consumer does in its own time); fails after a minute. */
    private static <T> T eventually(ThrowingSupplier<T> ask, Predicate<T> matching) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        T answer = ask.get();
        while (!matching.test(answer)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still not there: " + answer);
            }
            Thread.sleep(100);
            answer = ask.get();
        }
        return answer;
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private Answer get(String path, String key) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), key);
    }

    private Answer post(String path, String key) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), key);
    }

    private Answer send(HttpRequest.Builder request, String key) throws Exception {
        if (key != null) {
            request.header("X-Api-Key", key);
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
