package io.certflow.order;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.PurchaseAccepted;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.events.v1.PurchaseRejected;
import io.certflow.order.ordering.Order;
import io.certflow.order.ordering.RejectedPurchase;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * order-service end to end on a real broker and a Mongo wire server: the API, purchases, their
 * answers, their idempotency and dead letters. Run on the embedded stack ({@link OrderServiceIT}) and
 * on containers ({@link OrderServiceContainersIT}).
 */
@TestPropertySource(properties = {"certflow.order.products.dv-wildcard.ca-profile=" + OrderServiceFlows.WILDCARD_CA_PROFILE,
        "certflow.security.api-keys.key-list.sha256=" + TestApiKeys.KEY_LIST_SHA256,
        "certflow.security.api-keys.key-list.account=account-list"})
abstract class OrderServiceFlows {

    static final String WILDCARD_CA_PROFILE = "paid-eab";

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
                "{\"domains\":[\"WWW.Api-Order.example.\",\"api-order.example\",\"www.api-order.example\"],\"termYears\":2,"
                        + "\"product\":\"dv-multi\"}");

        JsonNode order = response.json(201);
        String orderId = order.get("orderId").asText();
        String certificateId = order.get("certificateId").asText();
        assertThat(certificateId).startsWith("crt_");
        assertThat(response.header("Location")).hasValue("/api/v1/orders/" + orderId);
        assertThat(order.get("accountId").asText()).isEqualTo("account-a");
        assertThat(order.get("product").asText()).isEqualTo("dv-multi");
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
        assertThat(requested.caProfile()).isNull();
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
        assertThat(order.has("keyType")).as("the CA profile's default key type").isFalse();
        assertThat(order.get("reuseKey").asBoolean()).isFalse();
    }

    @Test
    void anOrderCanChooseTheKeyTypeAndKeepTheKeyAcrossRenewals() {
        JsonNode order = api().post("/api/v1/orders", "key-a",
                "{\"domains\":[\"rsa-key.example\"],\"keyType\":\"rsa-3072\",\"reuseKey\":true}").json(201);

        assertThat(order.get("keyType").asText()).isEqualTo("RSA_3072");
        assertThat(order.get("reuseKey").asBoolean()).isTrue();
        String certificateId = order.get("certificateId").asText();
        CertificateRequested requested = topics.await(CertificateRequested.class,
                e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(requested.keyType()).isEqualTo("RSA_3072");
        assertThat(requested.reuseKey()).isTrue();

        api().post("/api/v1/orders", "key-a", "{\"domains\":[\"dsa-key.example\"],\"keyType\":\"DSA_1024\"}")
                .assertProblem(400, "keyType: 'DSA_1024' is not one of EC_P256");
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.domains().contains("dsa-key.example"));
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
        PurchaseCompleted purchase = purchase("up-1", "dv-wildcard", List.of("shop.example", "*.shop.example"), 3, true);

        topics.publish(purchase);

        CertificateRequested requested = topics.await(CertificateRequested.class, e -> e.orderId().equals("up-1"), WAIT);
        PurchaseAccepted accepted = topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-1"), WAIT);
        assertThat(accepted.accountId()).isEqualTo("account-a");
        assertThat(accepted.certificateId()).isEqualTo(requested.certificateId());
        assertThat(accepted.domains()).containsExactly("shop.example", "*.shop.example");
        assertThat(accepted.termEndsAt()).isEqualTo(requested.termEndsAt());
        assertThat(requested.caProfile()).isEqualTo(WILDCARD_CA_PROFILE);
        assertThat(requested.product()).isEqualTo("dv-wildcard");
        ConsumerRecord<String, String> answer = topics.records(Topics.PURCHASE_ACCEPTED).stream()
                .filter(r -> "up-1".equals(r.key())).findFirst().orElseThrow();
        assertThat(TopicProbe.header(answer, CloudEventHeaders.TYPE)).isEqualTo("io.certflow.purchase.accepted.v1");
        assertThat(TopicProbe.header(answer, CloudEventHeaders.SUBJECT)).isEqualTo("up-1");
        assertThat(topics.all(PurchaseRejected.class)).noneMatch(e -> e.orderId().equals("up-1"));
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
        topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-dup-marker"), WAIT);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> topics.all(PurchaseAccepted.class).stream()
                .filter(e -> e.orderId().equals("up-dup")).count() == 1);
        assertThat(topics.all(PurchaseRejected.class)).noneMatch(e -> e.orderId().equals("up-dup"));
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
        topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-conflict"), WAIT);
        assertThat(topics.all(PurchaseAccepted.class)).filteredOn(e -> e.orderId().equals("up-conflict")).hasSize(1);
        assertThat(topics.all(PurchaseRejected.class)).noneMatch(e -> e.orderId().equals("up-conflict"));
    }

    @Test
    void unreadablePurchasesGoToTheDeadLetterTopicInvalidOnesAreRejectedAndTheNextIsProcessed() throws Exception {
        PurchaseCompleted template = purchase("dlt-missing", List.of("missing.example"), 1, true);
        ObjectMapper events = EventJson.mapper();
        Map<String, Object> withoutTerm = events.readValue(EventJson.write(template), Map.class);
        withoutTerm.remove("termYears");

        topics.publishRaw(Topics.PURCHASE_COMPLETED, "dlt-notjson", "not json at all",
                Map.of(CloudEventHeaders.TYPE, PURCHASE_TYPE));
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "dlt-missing", events.writeValueAsString(withoutTerm),
                Map.of(CloudEventHeaders.TYPE, PURCHASE_TYPE));
        topics.publish(purchase("dlt-invalid", List.of("fine.example", "not valid.example"), 1, true));
        topics.publish(purchase("dlt-term", List.of("term.example"), 4, true));
        topics.publish(purchase("dlt-after", List.of("after.example"), 1, false));

        CertificateRequested after = topics.await(CertificateRequested.class, e -> e.orderId().equals("dlt-after"), WAIT);
        assertThat(after.hosting()).isFalse();
        for (String key : List.of("dlt-notjson", "dlt-missing")) {
            awaitDeadLetter(key);
        }
        PurchaseRejected invalid = topics.await(PurchaseRejected.class, e -> e.orderId().equals("dlt-invalid"), WAIT);
        PurchaseRejected term = topics.await(PurchaseRejected.class, e -> e.orderId().equals("dlt-term"), WAIT);
        List<ConsumerRecord<String, String>> dead = topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED));
        assertThat(dead).extracting(ConsumerRecord::key).doesNotContain("dlt-after", "dlt-invalid", "dlt-term");
        assertThat(deadLetter(dead, "dlt-notjson").value()).isEqualTo("not json at all");
        assertThat(reason(deadLetter(dead, "dlt-missing"))).contains("missing required field 'termYears'");
        assertThat(invalid.reasonCode()).isEqualTo("INVALID_DOMAIN");
        assertThat(invalid.accountId()).isEqualTo("account-a");
        assertThat(invalid.reason()).contains("'not valid.example'");
        assertThat(term.reasonCode()).isEqualTo("INVALID_TERM");
        assertThat(term.reason()).contains("termYears: 4");
        assertThat(topics.all(PurchaseAccepted.class)).noneMatch(e -> e.orderId().equals("dlt-invalid")
                || e.orderId().equals("dlt-term"));
        assertThat(topics.all(PurchaseRejected.class)).noneMatch(e -> e.orderId().equals("dlt-notjson")
                || e.orderId().equals("dlt-missing") || e.orderId().equals("dlt-after"));
        assertThat(topics.all(CertificateRequested.class))
                .noneMatch(e -> e.orderId().startsWith("dlt-") && !e.orderId().equals("dlt-after"));
        assertThat(api().get("/api/v1/orders/dlt-invalid", "key-a").status()).isEqualTo(404);
    }

    @Test
    void anInvalidPurchaseIsRejectedOnceHoweverOftenItArrives() {
        PurchaseCompleted invalid = purchase("rej-dup", List.of("exa mple.com"), 1, true);
        PurchaseCompleted sameOrderNewEvent = new PurchaseCompleted(UUID.randomUUID(), Instant.now(), invalid.accountId(),
                invalid.orderId(), invalid.product(), List.of("exa mple.com"), invalid.termYears(), invalid.hosting());

        topics.publish(invalid);
        topics.publish(invalid);
        topics.publish(sameOrderNewEvent);
        topics.publish(purchase("rej-dup-marker", List.of("*.*.example.com"), 1, true));

        PurchaseRejected rejected = topics.await(PurchaseRejected.class, e -> e.orderId().equals("rej-dup"), WAIT);
        topics.await(PurchaseRejected.class, e -> e.orderId().equals("rej-dup-marker"), WAIT);
        assertThat(rejected.reasonCode()).isEqualTo("INVALID_DOMAIN");
        assertThat(rejected.reason()).contains("'exa mple.com'").contains("letters, digits and hyphens");
        ConsumerRecord<String, String> answer = topics.records(Topics.PURCHASE_REJECTED).stream()
                .filter(r -> "rej-dup".equals(r.key())).findFirst().orElseThrow();
        assertThat(TopicProbe.header(answer, CloudEventHeaders.TYPE)).isEqualTo("io.certflow.purchase.rejected.v1");
        assertThat(TopicProbe.header(answer, CloudEventHeaders.SUBJECT)).isEqualTo("rej-dup");
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> topics.all(PurchaseRejected.class).stream()
                .filter(e -> e.orderId().equals("rej-dup")).count() == 1);
        assertThat(mongo.count(Query.query(Criteria.where("_id").is("rej-dup")), RejectedPurchase.class)).isEqualTo(1);
        assertThat(topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED)))
                .extracting(ConsumerRecord::key).doesNotContain("rej-dup", "rej-dup-marker");
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.orderId().startsWith("rej-dup"));
        assertThat(topics.all(PurchaseAccepted.class)).noneMatch(e -> e.orderId().startsWith("rej-dup"));
        assertThat(api().get("/api/v1/orders/rej-dup", "key-a").status()).isEqualTo(404);
    }

    @Test
    void aPurchaseThatBreaksAProductRuleIsRejectedWithItsCode() {
        Map<String, PurchaseCompleted> purchases = Map.of(
                "PUBLIC_SUFFIX", purchase("rej-suffix", "dv-multi", List.of("ok.example", "co.uk"), 1, true),
                "UNKNOWN_PRODUCT", purchase("rej-product", "ev-gold", List.of("product.example"), 1, true),
                "TOO_MANY_DOMAINS", purchase("rej-many", "dv-single", List.of("a.many.example", "b.many.example"), 1, true),
                "WILDCARD_NOT_IN_PRODUCT", purchase("rej-wildcard", "dv-single", List.of("*.wild.example"), 1, true),
                "HOSTING_NOT_IN_PRODUCT", purchase("rej-free", "dv-free", List.of("free.example"), 1, true));
        purchases.values().forEach(topics::publish);
        topics.publish(purchase("free-unhosted", "dv-free", List.of("unhosted.example"), 1, false));

        CertificateRequested free = topics.await(CertificateRequested.class, e -> e.orderId().equals("free-unhosted"), WAIT);
        assertThat(free.hosting()).isFalse();
        assertThat(free.product()).isEqualTo("dv-free");
        topics.await(PurchaseAccepted.class, e -> e.orderId().equals("free-unhosted"), WAIT);
        purchases.forEach((code, purchase) -> assertThat(topics.await(PurchaseRejected.class,
                e -> e.orderId().equals(purchase.orderId()), WAIT).reasonCode()).as(purchase.orderId()).isEqualTo(code));
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.orderId().startsWith("rej-"));
        assertThat(topics.records(Topics.deadLetter(Topics.PURCHASE_COMPLETED)))
                .extracting(ConsumerRecord::key).noneMatch(k -> k.startsWith("rej-") || k.equals("free-unhosted"));
    }

    @Test
    void aPurchaseReusingTheIdOfAnotherOrderIsRejectedAsAConflictingDuplicate() {
        String apiOrderId = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"taken.example\"]}").json(201)
                .get("orderId").asText();

        topics.publish(purchase(apiOrderId, List.of("taken.example"), 1, true));

        PurchaseRejected rejected = topics.await(PurchaseRejected.class, e -> e.orderId().equals(apiOrderId), WAIT);
        assertThat(rejected.reasonCode()).isEqualTo("CONFLICTING_DUPLICATE");
        assertThat(rejected.reason()).contains("already used by another order");
        assertThat(topics.all(CertificateRequested.class)).filteredOn(e -> e.orderId().equals(apiOrderId)).hasSize(1);
    }

    @Test
    void anOrderThatBreaksAProductRuleIsA400Problem() {
        api().post("/api/v1/orders", "key-a", "{\"domains\":[\"p.example\"],\"product\":\"ev-gold\"}")
                .assertProblem(400, "'ev-gold' is not a product");
        api().post("/api/v1/orders", "key-a", "{\"domains\":[\"a.p.example\",\"b.p.example\"]}")
                .assertProblem(400, "product 'dv-single' covers at most 1 name");
        api().post("/api/v1/orders", "key-a", "{\"domains\":[\"*.p.example\"],\"product\":\"dv-single\"}")
                .assertProblem(400, "does not cover wildcard names");
        api().post("/api/v1/orders", "key-a", "{\"domains\":[\"p.example\"],\"product\":\"dv-free\",\"hosting\":true}")
                .assertProblem(400, "cannot be hosted");

        JsonNode free = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"free-api.example\"],\"product\":\"dv-free\"}")
                .json(201);
        assertThat(free.get("hosting").asBoolean()).as("a free product is not hosted by default").isFalse();
        JsonNode wildcard = api().post("/api/v1/orders", "key-a",
                "{\"domains\":[\"wild-api.example\",\"*.wild-api.example\"],\"product\":\"dv-wildcard\"}").json(201);
        CertificateRequested requested = topics.await(CertificateRequested.class,
                e -> e.orderId().equals(wildcard.get("orderId").asText()), WAIT);
        assertThat(requested.caProfile()).isEqualTo(WILDCARD_CA_PROFILE);
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.domains().contains("p.example")
                || e.domains().contains("*.p.example") || e.domains().contains("a.p.example"));
    }

    @Test
    void aPurchaseWithoutDomainsIsAnsweredAndItsApplicationStartsTheLifecycle() {
        PurchaseCompleted purchase = new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", "up-later",
                "dv-wildcard", null, 2, true);

        topics.publish(purchase);

        PurchaseAccepted accepted = topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-later"), WAIT);
        assertThat(accepted.status()).isEqualTo(PurchaseAccepted.AWAITING_APPLICATION);
        assertThat(accepted.domains()).isEmpty();
        assertThat(accepted.certificateId()).startsWith("crt_");
        assertThat(accepted.termEndsAt()).isCloseTo(Instant.now().plus(730, ChronoUnit.DAYS), within(Duration.ofDays(2)));
        JsonNode purchased = api().get("/api/v1/orders/up-later", "key-a").json(200);
        assertThat(purchased.get("status").asText()).isEqualTo("PURCHASED");
        assertThat(purchased.get("domains")).isEmpty();
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.orderId().equals("up-later"));

        api().post("/api/v1/orders/up-later/application", "key-a", "{\"domains\":[\"later.example\"],"
                + "\"verificationMethod\":\"http-01\"}").assertProblem(400, "'http-01' is not one of CNAME_DELEGATION");
        assertThat(api().post("/api/v1/orders/up-later/application", "key-a",
                "{\"domains\":[\"a.later.example\",\"b.later.example\",\"c.later.example\"]}")
                .assertProblem(400, "covers at most 2 names").json().get("reasonCode").asText()).isEqualTo("TOO_MANY_DOMAINS");
        api().post("/api/v1/orders/up-later/application", "key-a", "{\"domains\":[]}")
                .assertProblem(400, "at least one domain");
        api().post("/api/v1/orders/up-later/application", "key-a", "").assertProblem(400, "");
        api().post("/api/v1/orders/up-later/application", "key-b", "{\"domains\":[\"later.example\"]}")
                .assertProblem(404, "up-later");

        JsonNode applied = api().post("/api/v1/orders/up-later/application", "key-a",
                "{\"domains\":[\"Later.example\",\"*.later.example\"],\"verificationMethod\":\"DNS_PROVIDER\","
                        + "\"keyType\":\"EC_P384\"}").json(200);

        assertThat(applied.get("status").asText()).isEqualTo("APPLIED");
        assertThat(applied.get("verificationMethod").asText()).isEqualTo("DNS_PROVIDER");
        CertificateRequested requested = topics.await(CertificateRequested.class, e -> e.orderId().equals("up-later"), WAIT);
        assertThat(requested.certificateId()).isEqualTo(accepted.certificateId());
        assertThat(requested.domains()).containsExactly("later.example", "*.later.example");
        assertThat(requested.verificationMethod()).isEqualTo("DNS_PROVIDER");
        assertThat(requested.keyType()).isEqualTo("EC_P384");
        assertThat(requested.caProfile()).isEqualTo(WILDCARD_CA_PROFILE);
        assertThat(requested.termEndsAt()).isEqualTo(accepted.termEndsAt());
        api().post("/api/v1/orders/up-later/application", "key-a", "{\"domains\":[\"other.example\"]}")
                .assertProblem(409, "APPLIED");

        topics.publish(purchase);
        topics.publish(purchase("up-later-marker", List.of("later-marker.example"), 1, true));
        topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-later-marker"), WAIT);
        assertThat(topics.all(PurchaseAccepted.class)).filteredOn(e -> e.orderId().equals("up-later")).hasSize(1);
        assertThat(topics.all(CertificateRequested.class)).filteredOn(e -> e.orderId().equals("up-later")).hasSize(1);
        assertThat(mongo.count(Query.query(Criteria.where("orderId").is("up-later")), Order.class)).isEqualTo(1);
    }

    @Test
    void cancellingAnOrderStopsItsCertificateOnce() {
        JsonNode order = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"cancel-me.example\"]}").json(201);
        String orderId = order.get("orderId").asText();
        String certificateId = order.get("certificateId").asText();

        api().post("/api/v1/orders/" + orderId + "/cancellation", "key-b", "{}").assertProblem(404, orderId);
        api().post("/api/v1/orders/" + orderId + "/cancellation", "key-a", "{\"reason\":\"" + "x".repeat(501) + "\"}")
                .assertProblem(400, "at most 500");
        JsonNode cancelled = api().post("/api/v1/orders/" + orderId + "/cancellation", "key-a",
                "{\"reason\":\"refunded\",\"revoke\":true}").json(200);

        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("revokeRequested").asBoolean()).isTrue();
        assertThat(cancelled.get("cancelledAt").asText()).isNotBlank();
        OrderCancelled event = topics.await(OrderCancelled.class, e -> e.certificateId().equals(certificateId), WAIT);
        assertThat(event.orderId()).isEqualTo(orderId);
        assertThat(event.accountId()).isEqualTo("account-a");
        assertThat(event.reason()).isEqualTo("refunded");
        assertThat(event.revoke()).isTrue();
        ConsumerRecord<String, String> record = topics.records(Topics.ORDER_CANCELLED).stream()
                .filter(r -> certificateId.equals(r.key())).findFirst().orElseThrow();
        assertThat(TopicProbe.header(record, CloudEventHeaders.TYPE)).isEqualTo("io.certflow.order.cancelled.v1");
        api().post("/api/v1/orders/" + orderId + "/cancellation", "key-a", null).assertProblem(409, "cancelled already");
        assertThat(api().get("/api/v1/orders/" + orderId, "key-a").json(200).get("status").asText()).isEqualTo("CANCELLED");
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> topics.all(OrderCancelled.class).stream()
                .filter(e -> e.certificateId().equals(certificateId)).count() == 1);
    }

    @Test
    void cancellingAPurchaseBeforeItsApplicationStopsIt() {
        topics.publish(new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", "up-cancel-early",
                "dv-single", List.of(), 1, true));
        PurchaseAccepted accepted = topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-cancel-early"), WAIT);

        JsonNode cancelled = api().post("/api/v1/orders/up-cancel-early/cancellation", "key-a", "{\"revoke\":true}")
                .json(200);

        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("revokeRequested").asBoolean()).as("nothing was issued to revoke").isFalse();
        api().post("/api/v1/orders/up-cancel-early/application", "key-a", "{\"domains\":[\"early.example\"]}")
                .assertProblem(409, "CANCELLED");
        assertThat(topics.all(OrderCancelled.class)).noneMatch(e -> e.certificateId().equals(accepted.certificateId()));
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.orderId().equals("up-cancel-early"));
    }

    @Test
    void theOrderFollowsItsCertificateFromTheEventsItConsumes() {
        JsonNode hosted = api().post("/api/v1/orders", "key-a", "{\"domains\":[\"issued-hosted.example\"]}").json(201);
        JsonNode unhosted = api().post("/api/v1/orders", "key-a",
                "{\"domains\":[\"issued-free.example\"],\"product\":\"dv-free\"}").json(201);
        String hostedId = hosted.get("certificateId").asText();
        String unhostedId = unhosted.get("certificateId").asText();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        topics.publish(new IssuanceFailed(UUID.randomUUID(), now, "account-a", hostedId, "att-0",
                "DNS record missing", null, true));
        await().atMost(WAIT).until(() -> api().get("/api/v1/orders/" + hosted.get("orderId").asText(), "key-a")
                .json(200).has("lastFailure"));
        CertificateIssued issued = issued(hostedId, "account-a", "1a2b", now);
        topics.publish(issued);
        topics.publish(issued);
        topics.publish(issued(unhostedId, "account-a", "3c4d", now));
        topics.publish(issued(unhostedId, "account-b", "5e6f", now));

        await().atMost(WAIT).until(() -> "HOSTED".equals(api().get("/api/v1/orders/" + hosted.get("orderId").asText(),
                "key-a").json(200).get("status").asText()));
        await().atMost(WAIT).until(() -> "ISSUED".equals(api().get("/api/v1/orders/" + unhosted.get("orderId").asText(),
                "key-a").json(200).get("status").asText()));
        awaitDeadLetter(Topics.CERTIFICATE_ISSUED, unhostedId);
        JsonNode read = api().get("/api/v1/orders/" + hosted.get("orderId").asText(), "key-a").json(200);
        assertThat(read.get("serialNumber").asText()).isEqualTo("1a2b");
        assertThat(read.get("certificatesIssued").asInt()).as("the replayed event counted once").isEqualTo(1);
        assertThat(read.get("certificateExpiresAt").asText()).isEqualTo(now.plus(200, ChronoUnit.DAYS).toString());
        assertThat(read.has("lastFailure")).isFalse();
        assertThat(api().get("/api/v1/orders/" + unhosted.get("orderId").asText(), "key-a").json(200)
                .get("serialNumber").asText()).as("another account's event is refused").isEqualTo("3c4d");
        Order stored = mongo.findOne(Query.query(Criteria.where("certificateId").is(hostedId)), Order.class);
        assertThat(stored.hasApplied(issued.eventId())).isTrue();
    }

    @Test
    void ordersAndSubscriptionsAreListedFilteredAndPaginatedPerAccount() throws InterruptedException {
        List<String> placed = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(api().post("/api/v1/orders", "key-list", "{\"domains\":[\"list" + i + ".example\"],"
                    + "\"product\":\"" + (i % 2 == 0 ? "dv-single" : "dv-free") + "\"}").json(201).get("orderId").asText());
            Thread.sleep(5);
        }
        api().post("/api/v1/orders/" + placed.get(4) + "/cancellation", "key-list", null).json(200);

        JsonNode first = api().get("/api/v1/orders?size=2", "key-list").json(200);
        JsonNode last = api().get("/api/v1/orders?size=2&page=2", "key-list").json(200);
        assertThat(first.get("totalItems").asInt()).isEqualTo(5);
        assertThat(first.get("totalPages").asInt()).isEqualTo(3);
        assertThat(first.get("items")).extracting(n -> n.get("orderId").asText())
                .containsExactly(placed.get(4), placed.get(3));
        assertThat(last.get("items")).extracting(n -> n.get("orderId").asText()).containsExactly(placed.get(0));
        assertThat(api().get("/api/v1/orders?product=dv-free", "key-list").json(200).get("items"))
                .extracting(n -> n.get("orderId").asText()).containsExactly(placed.get(3), placed.get(1));
        assertThat(api().get("/api/v1/orders?status=cancelled", "key-list").json(200).get("items"))
                .extracting(n -> n.get("orderId").asText()).containsExactly(placed.get(4));
        assertThat(api().get("/api/v1/orders?status=APPLIED,CANCELLED&domain=LIST2.example.", "key-list").json(200)
                .get("items")).extracting(n -> n.get("orderId").asText()).containsExactly(placed.get(2));
        assertThat(api().get("/api/v1/orders?source=PURCHASE", "key-list").json(200).get("totalItems").asInt()).isZero();
        assertThat(api().get("/api/v1/orders", "key-b").json(200).get("items"))
                .noneMatch(n -> placed.contains(n.get("orderId").asText()));

        JsonNode active = api().get("/api/v1/subscriptions?active=true", "key-list").json(200);
        assertThat(active.get("totalItems").asInt()).isEqualTo(4);
        JsonNode subscription = active.get("items").get(0);
        assertThat(subscription.get("subscriptionId").asText()).isEqualTo(placed.get(3));
        assertThat(subscription.get("paid").asBoolean()).isFalse();
        assertThat(subscription.get("active").asBoolean()).isTrue();
        assertThat(subscription.has("renewsUntil")).as("a free product is not renewed").isFalse();
        JsonNode paid = active.get("items").get(1);
        assertThat(paid.get("renewsUntil").asText()).isEqualTo(paid.get("termEndsAt").asText());
        assertThat(paid.get("fewestCertificatesInTerm").asInt()).as("a term outlives any one certificate")
                .isGreaterThanOrEqualTo(2);
        assertThat(paid.get("certificateLifetimeDays").asInt()).isBetween(47, 398);
        assertThat(api().get("/api/v1/subscriptions?active=false", "key-list").json(200).get("items"))
                .extracting(n -> n.get("subscriptionId").asText()).containsExactly(placed.get(4));

        api().get("/api/v1/orders?size=0", "key-list").assertProblem(400, "size: 0 is out of range");
        api().get("/api/v1/orders?size=101", "key-list").assertProblem(400, "1 to 100");
        api().get("/api/v1/orders?page=-1", "key-list").assertProblem(400, "page: -1");
        api().get("/api/v1/orders?page=abc", "key-list").assertProblem(400, "'abc' is not a whole number");
        api().get("/api/v1/orders?status=ISSUED,BOGUS", "key-list").assertProblem(400, "'BOGUS' is not one of PURCHASED");
        api().get("/api/v1/orders?domain=exa%20mple.com", "key-list").assertProblem(400, "domain:");
        api().get("/api/v1/orders?source=FAX", "key-list").assertProblem(400, "source:");
        api().get("/api/v1/subscriptions?active=maybe", "key-list").assertProblem(400, "neither true nor false");
        api().get("/api/v1/orders", null).assertProblem(401, "X-Api-Key");
    }

    @Test
    void theProductCatalogueIsPublished() {
        JsonNode products = api().get("/api/v1/products", "key-a").json(200);

        assertThat(products).extracting(n -> n.get("code").asText())
                .containsExactly("dv-single", "dv-wildcard", "dv-multi", "dv-free");
        assertThat(products.get(1).get("caProfile").asText()).isEqualTo(WILDCARD_CA_PROFILE);
        assertThat(products.get(2).get("maxDomains").asInt()).isEqualTo(100);
        assertThat(products.get(3).get("paid").asBoolean()).isFalse();
        assertThat(products.get(0).get("maxTermYears").asInt()).isEqualTo(3);
    }

    @Test
    void theIssuesBadOrdersAreEachA400WithTheirReasonCode() {
        List<String> hundredAndOne = IntStream.range(0, 101).mapToObj(i -> "\"n" + i + ".bad-api.example\"").toList();
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{\"domains\":[\"p.example\"],\"product\":\"ev-gold\"}", "UNKNOWN_PRODUCT");
        bodies.put("{\"domains\":[\"p.example\"],\"termYears\":0}", "INVALID_TERM");
        bodies.put("{\"domains\":[\"p.example\"],\"termYears\":4}", "INVALID_TERM");
        bodies.put("{\"domains\":[" + String.join(",", hundredAndOne) + "],\"product\":\"dv-multi\"}", "TOO_MANY_DOMAINS");
        bodies.put("{\"domains\":[\"*.*.example.com\"],\"product\":\"dv-multi\"}", "INVALID_DOMAIN");
        bodies.put("{\"domains\":[\"exa mple.com\"]}", "INVALID_DOMAIN");
        bodies.put("{\"domains\":[\"" + "a".repeat(64) + ".example\"]}", "INVALID_DOMAIN");
        bodies.put("{\"domains\":[\"*.co.uk\"],\"product\":\"dv-wildcard\"}", "PUBLIC_SUFFIX");
        bodies.put("{\"domains\":[\"com\"]}", "INVALID_DOMAIN");
        bodies.put("{\"domains\":[\"p.example\"],\"verificationMethod\":\"email\"}", "INVALID_VERIFICATION_METHOD");

        bodies.forEach((body, code) -> {
            ApiClient.Response response = api().post("/api/v1/orders", "key-a", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).contains("application/problem+json");
            assertThat(response.json().get("reasonCode").asText()).as(body).isEqualTo(code);
        });
        for (String body : List.of("", "null", "[]", "{\"domains\":\"p.example\"}", "{\"termYears\":\"two\"}")) {
            ApiClient.Response response = api().post("/api/v1/orders", "key-a", body);
            assertThat(response.status()).as("'%s'", body).isEqualTo(400);
            assertThat(response.contentType()).as("'%s'", body).contains("application/problem+json");
        }
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.domains().contains("p.example"));
    }

    @Test
    void theIssuesBadPurchasesAreEachAnsweredAndNeverMakeTwoSubscriptions() {
        List<String> hundredAndOne = IntStream.range(0, 101).mapToObj(i -> "n" + i + ".bad-purchase.example").toList();
        Map<String, PurchaseCompleted> purchases = new java.util.LinkedHashMap<>();
        purchases.put("UNKNOWN_PRODUCT", purchase("bad-product", "ev-gold", List.of("bp.example"), 1, true));
        purchases.put("INVALID_TERM", purchase("bad-term-0", "dv-single", List.of("bp.example"), 0, true));
        purchases.put("TOO_MANY_DOMAINS", purchase("bad-101", "dv-multi", hundredAndOne, 1, true));
        purchases.put("INVALID_DOMAIN", purchase("bad-double-wildcard", "dv-multi", List.of("*.*.example.com"), 1, true));
        purchases.put("PUBLIC_SUFFIX", purchase("bad-suffix", "dv-wildcard", List.of("*.co.uk"), 1, true));
        purchases.values().forEach(topics::publish);
        PurchaseCompleted label64 = purchase("bad-label", "dv-single", List.of("a".repeat(64) + ".example"), 1, true);
        topics.publish(label64);
        topics.publishRaw(Topics.PURCHASE_COMPLETED, "bad-empty", "", Map.of(CloudEventHeaders.TYPE, PURCHASE_TYPE));

        purchases.forEach((code, purchase) -> assertThat(topics.await(PurchaseRejected.class,
                e -> e.orderId().equals(purchase.orderId()), WAIT).reasonCode()).as(purchase.orderId()).isEqualTo(code));
        PurchaseRejected label = topics.await(PurchaseRejected.class, e -> e.orderId().equals("bad-label"), WAIT);
        assertThat(label.reasonCode()).isEqualTo("INVALID_DOMAIN");
        assertThat(label.reason()).contains("64 characters");
        awaitDeadLetter(Topics.PURCHASE_COMPLETED, "bad-empty");
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.orderId().startsWith("bad-"));

        PurchaseCompleted first = purchase("up-once", List.of("once.example"), 1, true);
        PurchaseCompleted later = new PurchaseCompleted(UUID.randomUUID(), first.occurredAt().minusSeconds(60),
                "account-a", "up-once", "dv-single", List.of("once.example"), 1, true);
        topics.publish(first);
        topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-once"), WAIT);
        api().post("/api/v1/orders/up-once/cancellation", "key-a", "{\"reason\":\"refund\"}").json(200);
        topics.publish(later);
        topics.publish(first);
        topics.publish(purchase("up-once-marker", List.of("once-marker.example"), 1, true));

        topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-once-marker"), WAIT);
        assertThat(mongo.count(Query.query(Criteria.where("orderId").is("up-once")), Order.class)).isEqualTo(1);
        assertThat(topics.all(PurchaseAccepted.class)).filteredOn(e -> e.orderId().equals("up-once")).hasSize(1);
        assertThat(topics.all(CertificateRequested.class)).filteredOn(e -> e.orderId().equals("up-once")).hasSize(1);
        assertThat(api().get("/api/v1/orders/up-once", "key-a").json(200).get("status").asText())
                .as("a replay after the cancellation does not revive the order").isEqualTo("CANCELLED");
    }

    @Test
    void upstreamBillingCancelsAPurchaseOnceAndTheOrderStops() {
        topics.publish(purchase("up-refund", List.of("refund.example"), 1, true));
        PurchaseAccepted accepted = topics.await(PurchaseAccepted.class, e -> e.orderId().equals("up-refund"), WAIT);
        PurchaseCancelled refund = new PurchaseCancelled(UUID.randomUUID(), Instant.now(), "account-a", "up-refund",
                "refunded", true);

        topics.publish(refund);
        topics.publish(refund);
        topics.publish(new PurchaseCancelled(UUID.randomUUID(), Instant.now(), "account-a", "up-refund", "again", false));
        topics.publish(new PurchaseCancelled(UUID.randomUUID(), Instant.now(), "account-b", "up-refund", "not yours", true));

        OrderCancelled cancelled = topics.await(OrderCancelled.class,
                e -> e.certificateId().equals(accepted.certificateId()), WAIT);
        assertThat(cancelled.orderId()).isEqualTo("up-refund");
        assertThat(cancelled.reason()).isEqualTo("refunded");
        assertThat(cancelled.revoke()).isTrue();
        ConsumerRecord<String, String> refused = awaitDeadLetter(Topics.PURCHASE_CANCELLED, "up-refund");
        assertThat(reason(refused)).contains("another account");
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> topics.all(OrderCancelled.class).stream()
                .filter(e -> e.certificateId().equals(accepted.certificateId())).count() == 1);
        JsonNode order = api().get("/api/v1/orders/up-refund", "key-a").json(200);
        assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(order.get("cancelReason").asText()).isEqualTo("refunded");
    }

    @Test
    void aCancellationReadBeforeItsPurchaseMakesThePurchaseRejected() {
        topics.publish(new PurchaseCancelled(UUID.randomUUID(), Instant.now(), "account-a", "up-cancel-first", null, false));
        topics.publish(purchase("up-cancel-first-marker-1", List.of("cf-marker.example"), 1, true));
        await().atMost(WAIT).until(() -> mongo.getCollection("cancelled_purchases")
                .countDocuments(new org.bson.Document("_id", "up-cancel-first")) == 1);

        topics.publish(purchase("up-cancel-first", List.of("cancel-first.example"), 1, true));

        PurchaseRejected rejected = topics.await(PurchaseRejected.class, e -> e.orderId().equals("up-cancel-first"), WAIT);
        assertThat(rejected.reasonCode()).isEqualTo("PURCHASE_CANCELLED");
        assertThat(rejected.reason()).contains("cancelled").contains("before its purchase arrived");
        assertThat(topics.all(CertificateRequested.class)).noneMatch(e -> e.orderId().equals("up-cancel-first"));
        assertThat(topics.all(PurchaseAccepted.class)).noneMatch(e -> e.orderId().equals("up-cancel-first"));
        assertThat(mongo.count(Query.query(Criteria.where("orderId").is("up-cancel-first")), Order.class)).isZero();
    }

    private ConsumerRecord<String, String> awaitDeadLetter(String topic, String key) {
        await().atMost(WAIT).until(() -> topics.records(Topics.deadLetter(topic)).stream()
                .anyMatch(r -> key.equals(r.key())));
        return deadLetter(topics.records(Topics.deadLetter(topic)), key);
    }

    private static CertificateIssued issued(String certificateId, String accountId, String serial, Instant notBefore) {
        return new CertificateIssued(UUID.randomUUID(), notBefore, accountId, certificateId, "att-" + serial, serial,
                "ff" + serial, notBefore, notBefore.plus(200, ChronoUnit.DAYS), List.of("x.example"), "CN=Test CA",
                "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n", null);
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
        return purchase(orderId, "dv-single", domains, termYears, hosting);
    }

    private static PurchaseCompleted purchase(String orderId, String product, List<String> domains, int termYears,
                                              boolean hosting) {
        return new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", orderId, product, domains,
                termYears, hosting);
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
        return org.assertj.core.api.Assertions.within(duration.toMillis(), ChronoUnit.MILLIS);
    }
}
