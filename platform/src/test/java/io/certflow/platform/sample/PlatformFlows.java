package io.certflow.platform.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shared plumbing as a service uses it, on a real Kafka broker and the Mongo wire server:
 * outbox to topic with CloudEvents headers, the relay's recovery scan, idempotent apply, dead letters, unknown types, retries,
 * API keys and problem+json, the Prometheus endpoint and the published API docs.
 */
@TestPropertySource(properties = "spring.application.name=sample-service")
@AutoConfigureObservability(tracing = false)
abstract class PlatformFlows {

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;

    @Test
    void aChangeAndItsEventAreOneWriteAndReachTheTopicWithCloudEventsHeaders() {
        PurchaseCompleted purchase = purchase("o-1", "dv-single");

        topics.publish(purchase);

        CertificateRequested requested = topics.await(CertificateRequested.class,
                e -> e.orderId().equals("o-1"), Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = topics.records(Topics.CERTIFICATE_REQUESTED).stream()
                .filter(r -> r.key().equals("crt-o-1")).findFirst().orElseThrow();
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo("io.certflow.certificate.requested.v1");
        assertThat(TopicProbe.header(record, CloudEventHeaders.ID)).isEqualTo(requested.eventId().toString());
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("/sample-service");
        assertThat(TopicProbe.header(record, CloudEventHeaders.SUBJECT)).isEqualTo("crt-o-1");
        assertThat(TopicProbe.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(TopicProbe.header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(TopicProbe.header(record, CloudEventHeaders.TIME)).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                mongo.findById("o-1", SampleOrder.class).pendingEvents().isEmpty());
    }

    @Test
    void aCopyReadBeforeTheRelayPublishedCannotBeSavedBack_soNoEventIsPublishedTwice() {
        SampleOrder copy = new SampleOrder("o-stale", "account-a");
        copy.apply(purchase("o-stale", "dv-single"));
        mongo.insert(copy); // `copy` is now what any writer holds between its read and its save

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-stale"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                mongo.findById("o-stale", SampleOrder.class).pendingEvents().isEmpty());

        assertThat(copy.pendingEvents()).hasSize(1);
        assertThatThrownBy(() -> mongo.save(copy))
                .as("the relay's write moved the version: the copy with the published message is refused")
                .isInstanceOf(org.springframework.dao.OptimisticLockingFailureException.class);
        assertThat(mongo.findById("o-stale", SampleOrder.class).pendingEvents()).isEmpty();
        assertThat(topics.all(CertificateRequested.class).stream().filter(e -> e.orderId().equals("o-stale"))).hasSize(1);
    }

    @Test
    void anOutboxLeftByAStoppedProcessIsPublishedByTheScan() {
        Outboxes.leftByAStoppedProcess(mongo, "o-left");

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-left"), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Outboxes.pending(mongo, "o-left"));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        PurchaseCompleted purchase = purchase("o-2", "dv-single");

        topics.publish(purchase);
        topics.publish(purchase);
        topics.publish(purchase(purchase.orderId() + "-marker", "dv-single"));

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-2-marker"), Duration.ofSeconds(30));
        assertThat(topics.all(CertificateRequested.class).stream().filter(e -> e.orderId().equals("o-2"))).hasSize(1);
        assertThat(mongo.findById("o-2", SampleOrder.class).purchasesApplied()).isEqualTo(1);
    }

    @Test
    void unreadableAndRefusedRecordsGoToTheDeadLetterTopicAndTheConsumerGoesOn() {
        String typeOfPurchase = "io.certflow.purchase.completed.v1";
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "bad-1", "this is not json", Map.of(CloudEventHeaders.TYPE, typeOfPurchase));
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "bad-2", "{\"eventId\":\"" + UUID.randomUUID() + "\"}",
                Map.of(CloudEventHeaders.TYPE, typeOfPurchase));
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "bad-3", "{}", Map.of());
        topics.publish(purchase("o-refused", "refused"));
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "future", "{}", Map.of(CloudEventHeaders.TYPE, "io.certflow.something.new.v1"));
        topics.publish(purchase("o-after", "dv-single"));

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-after"), Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> dead = topics.awaitDeadLetters(Topics.PURCHASE_COMPLETED, 4, Duration.ofSeconds(30));
        assertThat(dead).extracting(ConsumerRecord::key).contains("bad-1", "bad-2", "bad-3", "o-refused")
                .doesNotContain("future", "o-after");
        ConsumerRecord<String, String> notJson = dead.stream().filter(r -> r.key().equals("bad-1")).findFirst().orElseThrow();
        assertThat(notJson.value()).isEqualTo("this is not json");
        assertThat(TopicProbe.header(notJson, CloudEventHeaders.TYPE)).isEqualTo(typeOfPurchase);
        ConsumerRecord<String, String> refused = dead.stream().filter(r -> r.key().equals("o-refused")).findFirst().orElseThrow();
        assertThat(TopicProbe.header(refused, "certflow_dlt-reason")).isEqualTo("product 'refused' is not sold");
        ConsumerRecord<String, String> incomplete = dead.stream().filter(r -> r.key().equals("bad-2")).findFirst().orElseThrow();
        assertThat(TopicProbe.header(incomplete, "certflow_dlt-reason")).contains("occurredAt");
    }

    @Test
    void aTransientFailureIsRetriedWithBackoffAndThenSucceeds() {
        topics.publish(purchase("o-flaky", "flaky"));

        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-flaky"), Duration.ofSeconds(30));
        assertThat(topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED)))
                .extracting(ConsumerRecord::key).doesNotContain("o-flaky");
    }

    @Test
    void theApiNeedsAKeyAndScopesToItsAccount() {
        topics.publish(purchase("o-api", "dv-single"));
        await().atMost(Duration.ofSeconds(30)).until(() -> mongo.findById("o-api", SampleOrder.class) != null);

        ApiClient api = ApiClient.onPort(port);
        ApiClient.Response noKey = api.get("/api/v1/sample-orders/o-api", null);
        ApiClient.Response owner = api.get("/api/v1/sample-orders/o-api", "key-a");
        ApiClient.Response other = api.get("/api/v1/sample-orders/o-api", "key-b");
        ApiClient.Response internalWithoutToken = api.get("/internal/v1/ping", "key-a");
        ApiClient.Response internal = api.getInternal("/internal/v1/ping", "test-internal-token");

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.contentType()).contains("application/problem+json");
        assertThat(owner.status()).isEqualTo(200);
        assertThat(owner.body()).contains("\"purchasesApplied\":1");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.contentType()).contains("application/problem+json");
        assertThat(internalWithoutToken.status()).isEqualTo(401);
        assertThat(internal.status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyKeyReadsItsAccountAndAnOperatorReadsTheAccountItNames_neitherWritesNorOpensInternal() {
        topics.publish(purchase("o-roles", "dv-single"));
        await().atMost(Duration.ofSeconds(30)).until(() -> mongo.findById("o-roles", SampleOrder.class) != null);
        ApiClient api = ApiClient.onPort(port);
        ApiClient operatorOnA = api.withHeader("X-Certflow-Account", "account-a");

        assertThat(api.get("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_A_READ).json(200).path("id").asText())
                .isEqualTo("o-roles");
        api.post("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_A_READ, "{}").assertProblem(403, "read-only key");
        assertThat(operatorOnA.get("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_OPERATOR).json(200).path("id").asText())
                .isEqualTo("o-roles");
        api.get("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_OPERATOR).assertProblem(400, "X-Certflow-Account");
        api.withHeader("X-Certflow-Account", "account-b").get("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_OPERATOR)
                .assertProblem(404, "no order");
        operatorOnA.delete("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_OPERATOR).assertProblem(403, "operator key");
        assertThat(operatorOnA.get("/internal/v1/ping", TestApiKeys.KEY_OPERATOR).status()).isEqualTo(401);
        assertThat(api.withHeader("X-Certflow-Account", "account-a").get("/api/v1/sample-orders/o-roles", TestApiKeys.KEY_B)
                .status()).as("an owner cannot name another account").isEqualTo(404);
    }

    @Test
    void healthIsUpOnTheMongoWireServer() {
        ApiClient.Response health = ApiClient.onPort(port).get("/actuator/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void prometheusCountsEventsAndDeadLettersPerTopicAndShowsTheConsumersLag_withoutAKey() {
        ApiClient api = ApiClient.onPort(port);
        String deadLetters = "certflow_events_dead_letters_total{topic=\"" + Topics.PURCHASE_COMPLETED + "\"}";
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "bad-metrics", "not json either", Map.of());
        topics.publish(purchase("o-metrics", "dv-single"));
        topics.await(CertificateRequested.class, e -> e.orderId().equals("o-metrics"), Duration.ofSeconds(30));
        topics.awaitDeadLetters(Topics.PURCHASE_COMPLETED, 1, Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> sampleValue(api.get("/actuator/prometheus", null).body(),
                deadLetters) >= 1);
        String metrics = api.get("/actuator/prometheus", null).body();
        assertThat(sampleValue(metrics, "certflow_events_dead_letters_total{topic=\"" + Topics.ISSUANCE_FAILED + "\"}"))
                .as("a topic without dead letters is counted from zero").isZero();
        assertThat(sampleValue(metrics, "certflow_events_consumed_total{topic=\"" + Topics.PURCHASE_COMPLETED + "\"}"))
                .as("the readable record").isGreaterThanOrEqualTo(1);
        assertThat(sampleValue(metrics, "certflow_events_published_total{topic=\"" + Topics.CERTIFICATE_REQUESTED + "\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag_max{");
    }

    @Test
    void theApiDocsDescribeTheApiWithItsKeyButNotTheInternalApi_andTheSwaggerUiAnswersWithoutAKey() {
        ApiClient api = ApiClient.onPort(port);

        JsonNode docs = api.get("/v3/api-docs", null).json(200);

        assertThat(docs.path("info").path("title").asText()).isEqualTo("sample-service");
        assertThat(docs.path("paths").fieldNames()).toIterable().containsExactly("/api/v1/sample-orders/{id}");
        JsonNode get = docs.path("paths").path("/api/v1/sample-orders/{id}").path("get");
        assertThat(get.path("parameters").findValuesAsText("name")).as("the account comes from the key").containsExactly("id");
        assertThat(get.path("parameters").findValuesAsText("$ref")).containsExactly("#/components/parameters/operatorAccount");
        assertThat(docs.path("components").path("parameters").path("operatorAccount").path("name").asText())
                .isEqualTo("X-Certflow-Account");
        JsonNode scheme = docs.path("components").path("securitySchemes").path("apiKey");
        assertThat(scheme.path("type").asText()).isEqualTo("apiKey");
        assertThat(scheme.path("in").asText()).isEqualTo("header");
        assertThat(scheme.path("name").asText()).isEqualTo("X-Api-Key");
        assertThat(docs.path("security").get(0).has("apiKey")).isTrue();
        ApiClient.Response ui = api.get("/swagger-ui/index.html", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.contentType()).startsWith("text/html");
        assertThat(ui.body()).contains("Swagger UI");
    }

    /** The value of one sample in Prometheus' text format, or -1 when it is not there. */
    private static double sampleValue(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(sample.length() + 1).trim())).orElse(-1.0);
    }

    private static PurchaseCompleted purchase(String orderId, String product) {
        return new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", orderId, product,
                List.of("www.example.com"), 1, true);
    }
}
