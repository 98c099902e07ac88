package io.certflow.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.order.ordering.Order;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * order-service end to end on a real broker and a Mongo wire server: the API, purchases, their
 * idempotency and dead letters. Run on the embedded stack ({@link OrderServiceIT}) and on containers
 * ({@link OrderServiceContainersIT}).
 */
abstract class OrderServiceFlows {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PURCHASE_TYPE = "io.certflow.purchase.completed.v1";

    @Autowired
    TopicProbe topics;
    @Autowired
    MongoTemplate mongo;
    @LocalServerPort
    int port;
    private ApiClient api;

    @Test
    void anApiOrderRequestsItsCertificate() throws Exception {
        ApiClient.Response response = api().post("/api/v1/orders", "key-a",
                "{\"domains\":[\"WWW.Api-Order.example.\",\"api-order.example\",\"www.api-order.example\"],\"termYears\":2}");

        JsonNode order = response.json(201);
        String orderId = order.get("orderId").asText();
        String certificateId = order.get("certificateId").asText();
        assertThat(certificateId).startsWith("crt_");
        assertThat(response.header("Location")).hasValue("/api/v1/orders/" + orderId);
        assertThat(order.get("accountId").asText()).isEqualTo("account-a");
        assertThat(order.get("product").asText()).isEqualTo("dv-single");
        assertThat(order.get("termYears").asInt()).isEqualTo(2);
        assertThat(order.get("hosting").asBoolean()).isTrue();
        assertThat(order.get("status").asText()).isEqualTo("APPLIED");
        assertThat(order.get("createdAt").asText()).isNotBlank();

        CertificateRequested requested = topics.await(CertificateRequested.class,
                e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(requested.orderId()).isEqualTo(orderId);
        assertThat(requested.accountId()).isEqualTo("account-a");
        assertThat(requested.domains()).containsExactly("www.api-order.example", "api-order.example");
        assertThat(requested.hosting()).isTrue();
        assertThat(requested.termYears()).isEqualTo(2);
        assertThat(requested.termEndsAt()).isCloseTo(Instant.now().plus(730, ChronoUnit.DAYS), within(Duration.ofDays(2)));
        ConsumerRecord<String, String> record = topics.records(Topics.CERTIFICATE_REQUESTED).stream()
                .filter(r -> certificateId.equals(r.key())).findFirst().orElseThrow();
        assertThat(TopicProbe.header(record, CloudEventHeaders.SOURCE)).isEqualTo("/order-service");

        assertThat(api().get("/api/v1/orders/" + orderId, "key-a").json(200).get("certificateId").asText())
                .isEqualTo(certificateId);
    }

    @Test
    void defaultsApplyWhenOnlyDomainsAreGiven() {
        JsonNode order = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"defaults.example\"]}").json(201);

        assertThat(order.get("product").asText()).isEqualTo("dv-single");
        assertThat(order.get("termYears").asInt()).isEqualTo(1);
        assertThat(order.get("hosting").asBoolean()).isTrue();
    }

    @Test
    void anInvalidOrderIsA400Problem() {
        ApiClient.Response badDomain = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"ok.example\",\"bad_name.example\"]}");
        ApiClient.Response noDomains = api().post("/api/v1/orders", "key-a", "{\"termYears\":1}");
        ApiClient.Response badTerm = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"ok.example\"],\"termYears\":5}");
        ApiClient.Response notJson = api().post("/api/v1/orders", "key-a", "{domains");

        badDomain.assertProblem(400, "domains[1]: 'bad_name.example'");
        noDomains.assertProblem(400, "at least one domain");
        badTerm.assertProblem(400, "termYears: 5");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).contains("application/problem+json");
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.domains().contains("ok.example"));
    }

    @Test
    void theApiNeedsAKeyAndKeepsAccountsApart() {
        api().post("/api/v1/orders", null, "{\"domains\":[\"nokey.example\"]}").assertProblem(401, "X-Api-Key");

        String orderId = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"mine.example\"]}").json()
                .get("orderId").asText();
        api().get("/api/v1/orders/" + orderId, "key-b").assertProblem(404, orderId);
        api().get("/api/v1/orders/ord_doesnotexist", "key-a").assertProblem(404, "ord_doesnotexist");
        assertThat(api().get("/api/v1/orders/" + orderId, "key-a").status()).isEqualTo(200);
    }

    @Test
    void aPurchaseRequestsItsCertificate() {
        PurchaseCompleted purchase = purchase("up-1", List.of("shop.example", "*.shop.example"), 3, true);

        topics.publish(purchase);

        CertificateRequested requested = topics.await(CertificateRequested.class, e -> e.orderId().equals("up-1"), WAIT);
        assertThat(requested.accountId()).isEqualTo("account-a");
        assertThat(requested.domains()).containsExactly("shop.example", "*.shop.example");
        assertThat(requested.termYears()).isEqualTo(3);
        assertThat(requested.hosting()).isTrue();
        assertThat(requested.certificateId()).startsWith("crt_");
        JsonNode read = api().get("/api/v1/orders/up-1", "key-a").json(200);
        assertThat(read.get("certificateId").asText()).isEqualTo(requested.certificateId());
        assertThat(read.get("source").asText()).isEqualTo("PURCHASE");
    }

    @Test
    void aPurchaseIsAppliedOnceHoweverOftenItArrives() {
        PurchaseCompleted purchase = purchase("up-dup", List.of("dup.example"), 1, true);
        PurchaseCompleted sameOrderNewEvent = new PurchaseCompleted(UUID.randomUUID(), Instant.now(), purchase.accountId(),
                purchase.orderId(), purchase.product(), List.of("DUP.example."), purchase.termYears(), purchase.hosting());

        topics.publish(purchase);
        topics.publish(purchase);
        topics.publish(sameOrderNewEvent);
        topics.publish(purchase("up-dup-marker", List.of("marker.example"), 1, true));

        topics.await(CertificateRequested.class, e -> e.orderId().equals("up-dup-marker"), WAIT);
        assertThat(topics.all(CertificateRequested.class)).filteredOn(e -> e.orderId().equals("up-dup")).hasSize(1);
        assertThat(mongo.count(Query.query(Criteria.where("orderId").is("up-dup")), Order.class)).isEqualTo(1);
        assertThat(topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED)))
                .extracting(ConsumerRecord::key).doesNotContain("up-dup");
    }

    @Test
    void aRepeatedOrderIdWithDifferentTermsIsRefusedAndTheFirstPurchaseStands() {
        PurchaseCompleted first = purchase("up-conflict", List.of("conflict.example"), 1, true);
        PurchaseCompleted different = purchase("up-conflict", List.of("conflict.example"), 2, true);

        topics.publish(first);
        topics.publish(different);

        ConsumerRecord<String, String> refused = awaitDeadLetter("up-conflict");
        topics.await(CertificateRequested.class, e -> e.orderId().equals("up-conflict"), WAIT);
        assertThat(reason(refused)).contains("already applied").contains("different terms");
        assertThat(topics.all(CertificateRequested.class)).filteredOn(e -> e.orderId().equals("up-conflict"))
                .singleElement().satisfies(e -> assertThat(e.termYears()).isEqualTo(1));
    }

    @Test
    void unreadableOrInvalidPurchasesGoToTheDeadLetterTopicAndTheNextIsProcessed() throws Exception {
        PurchaseCompleted template = purchase("dlt-missing", List.of("missing.example"), 1, true);
        ObjectMapper events = EventJson.mapper();
        Map<String, Object> withoutDomains = events.readValue(EventJson.write(template), Map.class);
        withoutDomains.remove("domains");

        topics.publishRaw(Topics.PURCHASE_COMPLETED, "dlt-notjson", "not json at all",
                Map.of(CloudEventHeaders.TYPE, PURCHASE_TYPE));
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "dlt-missing", events.writeValueAsString(withoutDomains),
                Map.of(CloudEventHeaders.TYPE, PURCHASE_TYPE));
        topics.publish(purchase("dlt-invalid", List.of("fine.example", "not valid.example"), 1, true));
        topics.publish(purchase("dlt-term", List.of("term.example"), 4, true));
        topics.publish(purchase("dlt-after", List.of("after.example"), 1, false));

        CertificateRequested after = topics.await(CertificateRequested.class, e -> e.orderId().equals("dlt-after"), WAIT);
        assertThat(after.hosting()).isFalse();
        for (String key : List.of("dlt-notjson", "dlt-missing", "dlt-invalid", "dlt-term")) {
            awaitDeadLetter(key);
        }
        List<ConsumerRecord<String, String>> dead = topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED));
        assertThat(dead).extracting(ConsumerRecord::key).doesNotContain("dlt-after");
        assertThat(deadLetter(dead, "dlt-notjson").value()).isEqualTo("not json at all");
        assertThat(reason(deadLetter(dead, "dlt-missing"))).contains("missing required field 'domains'");
        assertThat(reason(deadLetter(dead, "dlt-invalid"))).contains("purchase dlt-invalid refused")
                .contains("'not valid.example'");
        assertThat(reason(deadLetter(dead, "dlt-term"))).contains("termYears: 4");
        assertThat(topics.all(CertificateRequested.class))
                .noneMatch(e -> e.orderId().startsWith("dlt-") && !e.orderId().equals("dlt-after"));
        assertThat(api().get("/api/v1/orders/dlt-invalid", "key-a").status()).isEqualTo(404);
    }

    private ConsumerRecord<String, String> awaitDeadLetter(String key) {
        await().atMost(WAIT).until(() -> topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED)).stream()
                .anyMatch(r -> key.equals(r.key())));
        return deadLetter(topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED)), key);
    }

    private static ConsumerRecord<String, String> deadLetter(List<ConsumerRecord<String, String>> dead, String key) {
        return dead.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return TopicProbe.header(record, "certflow_dlt-reason");
    }

    private ApiClient api() {
        if (api == null) {
            api = ApiClient.onPort(port);
        }
        return api;
    }

    private static PurchaseCompleted purchase(String orderId, List<String> domains, int termYears, boolean hosting) {
        return new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", orderId, "dv-single", domains,
                termYears, hosting);
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
        return org.assertj.core.api.Assertions.within(duration.toMillis(), ChronoUnit.MILLIS);
    }
}
