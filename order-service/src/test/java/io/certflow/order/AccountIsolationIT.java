package io.certflow.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.events.v1.PurchaseAccepted;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.testsupport.AccountIsolation;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.ServiceIT;
import io.certflow.testsupport.TestApiKeys;
import io.certflow.testsupport.TopicProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account B never sees or touches account A's orders: every endpoint that names an order answers B
 * with a 404 that shows nothing of A's, B's lists leave A's orders out, A's read-only key only reads
 * and an operator reads A's orders only when it names account A.
 */
@ServiceIT
class AccountIsolationIT {

    private static final String OWN_DOMAIN = "isolated-order.example";

    @Autowired
    TopicProbe topics;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @LocalServerPort
    int port;

    private ApiClient api;
    private String appliedOrderId;
    private String purchasedOrderId;

    @BeforeEach
    void accountAHasAnAppliedOrderAndAPurchaseAwaitingItsApplication() {
        api = ApiClient.onPort(port);
        appliedOrderId = api.post("/api/v1/orders", TestApiKeys.KEY_A, "{\"domains\":[\"" + OWN_DOMAIN + "\"]}")
                .json(201).get("orderId").asText();
        purchasedOrderId = "isolated-" + UUID.randomUUID();
        topics.publish(new PurchaseCompleted(UUID.randomUUID(), Instant.now(), "account-a", purchasedOrderId,
                "dv-single", null, 1, true));
        topics.await(PurchaseAccepted.class, e -> e.orderId().equals(purchasedOrderId), Duration.ofSeconds(30));
    }

    private AccountIsolation table() {
        return new AccountIsolation()
                .call("GET", "/api/v1/orders/{orderId}", "/api/v1/orders/" + appliedOrderId)
                .call("GET", "/api/v1/orders/{orderId}", "/api/v1/orders/" + purchasedOrderId)
                .call("POST", "/api/v1/orders/{orderId}/application", "/api/v1/orders/" + purchasedOrderId + "/application",
                        "{\"domains\":[\"taken-over.example\"]}")
                .call("POST", "/api/v1/orders/{orderId}/cancellation", "/api/v1/orders/" + appliedOrderId + "/cancellation",
                        "{\"reason\":\"not mine\",\"revoke\":true}");
    }

    @Test
    void theTableCoversEveryEndpointThatNamesAnOrder() {
        table().assertCoversEveryApiMappingWithAPathVariable(mappings);
    }

    @Test
    void anotherAccountGets404OnEveryOrderEndpointAndChangesNothing() {
        AccountIsolation table = table();

        table.assertEachIsNotFoundFor(api, TestApiKeys.KEY_B, "account-a", OWN_DOMAIN);

        table.assertOwnerReadsEach(api, TestApiKeys.KEY_A);
        assertThat(api.get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_A).json(200).get("status").asText())
                .isEqualTo("APPLIED");
        assertThat(api.get("/api/v1/orders/" + purchasedOrderId, TestApiKeys.KEY_A).json(200).get("status").asText())
                .isEqualTo("PURCHASED");
    }

    @Test
    void anotherAccountsListsLeaveTheOrdersOut() {
        for (String path : new String[] {"/api/v1/orders?size=100", "/api/v1/subscriptions?size=100",
                "/api/v1/orders?domain=" + OWN_DOMAIN, "/api/v1/subscriptions?domain=" + OWN_DOMAIN}) {
            JsonNode page = api.get(path, TestApiKeys.KEY_B).json(200);
            assertThat(page.toString()).as(path).doesNotContain(appliedOrderId, purchasedOrderId, OWN_DOMAIN, "account-a");
        }
        assertThat(api.get("/api/v1/orders?domain=" + OWN_DOMAIN, TestApiKeys.KEY_A).json(200).get("items").toString())
                .contains(appliedOrderId);
    }

    @Test
    void aReadOnlyKeyReadsTheAccountsOrdersButCannotChangeThem() {
        assertThat(api.get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_A_READ).json(200).get("orderId").asText())
                .isEqualTo(appliedOrderId);

        api.post("/api/v1/orders/" + appliedOrderId + "/cancellation", TestApiKeys.KEY_A_READ, "{}")
                .assertProblem(403, "read-only key");
        api.post("/api/v1/orders", TestApiKeys.KEY_A_READ, "{\"domains\":[\"read-only.example\"]}")
                .assertProblem(403, "read-only key");

        assertThat(api.get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_A).json(200).get("status").asText())
                .isEqualTo("APPLIED");
    }

    @Test
    void anOperatorReadsTheOrdersOfTheAccountItNamesButCannotChangeThem() {
        ApiClient operatorOnA = api.withHeader("X-Certflow-Account", "account-a");

        assertThat(operatorOnA.get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_OPERATOR).json(200)
                .get("accountId").asText()).isEqualTo("account-a");
        assertThat(operatorOnA.get("/api/v1/orders?domain=" + OWN_DOMAIN, TestApiKeys.KEY_OPERATOR).json(200)
                .get("items").toString()).contains(appliedOrderId);
        operatorOnA.post("/api/v1/orders/" + appliedOrderId + "/cancellation", TestApiKeys.KEY_OPERATOR, "{}")
                .assertProblem(403, "operator key");
        api.withHeader("X-Certflow-Account", "account-b").get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_OPERATOR)
                .assertProblem(404, appliedOrderId);
        api.get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_OPERATOR).assertProblem(400, "X-Certflow-Account");

        assertThat(api.get("/api/v1/orders/" + appliedOrderId, TestApiKeys.KEY_A).json(200).get("status").asText())
                .isEqualTo("APPLIED");
    }
}
