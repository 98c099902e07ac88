package io.certflow.platform.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.testsupport.SettableClock;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyFilterTest {

    private static final SecurityProperties SECURITY = new SecurityProperties(Map.of(
            "team-a", new SecurityProperties.ApiKey(ApiKeys.sha256("key-a"), "account-a", Role.OWNER),
            "viewer-a", new SecurityProperties.ApiKey(ApiKeys.sha256("key-a-read"), "account-a", Role.READ_ONLY),
            "dashboards", new SecurityProperties.ApiKey(ApiKeys.sha256("key-operator"), null, Role.OPERATOR)),
            "internal-secret", new SecurityProperties.RateLimit(1, 2));

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final ApiKeyFilter filter = new ApiKeyFilter(SECURITY,
            new RateLimiter(SECURITY.rateLimit(), SettableClock.reading(() -> now)));

    @Test
    void anOwnerKeyActsForItsAccountWithItsRoleAndName() throws Exception {
        Result r = send("POST", "/api/v1/orders", Map.of("X-Api-Key", "key-a"));

        assertThat(r.passed()).isTrue();
        assertThat(r.account()).isEqualTo(new Account("account-a", Role.OWNER, "team-a"));
    }

    @Test
    void anOwnerCannotNameAnotherAccount() throws Exception {
        Result r = send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a", "X-Certflow-Account", "account-b"));

        assertThat(r.account().id()).isEqualTo("account-a");
    }

    @Test
    void noKeyOrAnUnknownKeyIs401WithoutSayingWhy() throws Exception {
        for (Map<String, String> headers : new Map[] {Map.of(), Map.of("X-Api-Key", "key-x"),
                Map.of("X-Api-Key", ApiKeys.sha256("key-a")), Map.of("X-Internal-Token", "internal-secret")}) {
            now = now.plusSeconds(10);
            Result r = send("GET", "/api/v1/orders", headers);

            assertThat(r.passed()).isFalse();
            r.assertProblem(401, "A valid X-Api-Key header is required.");
        }
    }

    @Test
    void aReadOnlyKeyReadsButCannotWrite() throws Exception {
        assertThat(send("GET", "/api/v1/orders/o-1", Map.of("X-Api-Key", "key-a-read")).account())
                .isEqualTo(new Account("account-a", Role.READ_ONLY, "viewer-a"));
        assertThat(send("HEAD", "/api/v1/orders/o-1", Map.of("X-Api-Key", "key-a-read")).passed()).isTrue();
        now = now.plusSeconds(10);

        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            now = now.plusSeconds(10);
            Result r = send(method, "/api/v1/orders/o-1", Map.of("X-Api-Key", "key-a-read"));

            assertThat(r.passed()).isFalse();
            r.assertProblem(403, "read-only key");
        }
    }

    @Test
    void anOperatorReadsTheAccountItNames() throws Exception {
        Result r = send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-operator", "X-Certflow-Account", "account-b"));

        assertThat(r.account()).isEqualTo(new Account("account-b", Role.OPERATOR, "dashboards"));
    }

    @Test
    void anOperatorMustNameAnAccountAndCannotWrite() throws Exception {
        send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-operator"))
                .assertProblem(400, "X-Certflow-Account");
        now = now.plusSeconds(10);
        send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-operator", "X-Certflow-Account", " "))
                .assertProblem(400, "X-Certflow-Account");
        now = now.plusSeconds(10);
        send("POST", "/api/v1/orders", Map.of("X-Api-Key", "key-operator", "X-Certflow-Account", "account-a"))
                .assertProblem(403, "operator key");
    }

    @Test
    void internalEndpointsTakeOnlyTheServiceCredential_noApiKeyOpensThem() throws Exception {
        assertThat(send("GET", "/internal/v1/bundle", Map.of("X-Internal-Token", "internal-secret")).passed()).isTrue();

        for (String key : new String[] {"key-a", "key-operator"}) {
            now = now.plusSeconds(10);
            Result r = send("GET", "/internal/v1/bundle", Map.of("X-Api-Key", key, "X-Certflow-Account", "account-a"));

            assertThat(r.passed()).isFalse();
            r.assertProblem(401, "X-Internal-Token");
        }
        now = now.plusSeconds(10);
        send("GET", "/internal/v1/bundle", Map.of("X-Internal-Token", "internal-secre")).assertProblem(401, "X-Internal-Token");
    }

    @Test
    void otherPathsPass() throws Exception {
        assertThat(send("GET", "/actuator/health", Map.of()).passed()).isTrue();
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfter_otherKeysDoNot() throws Exception {
        assertThat(send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a")).passed()).isTrue();
        assertThat(send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a")).passed()).isTrue();

        Result limited = send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a"));

        assertThat(limited.passed()).isFalse();
        limited.assertProblem(429, "Too many requests");
        assertThat(limited.response().getHeader("Retry-After")).isEqualTo("1");
        assertThat(send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a-read")).passed()).isTrue();

        now = now.plusSeconds(1);
        assertThat(send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a")).passed()).isTrue();
    }

    @Test
    void failedAttemptsAreLimitedPerRemoteAddress() throws Exception {
        send("GET", "/api/v1/orders", Map.of("X-Api-Key", "guess-1")).assertProblem(401, "X-Api-Key");
        send("GET", "/api/v1/orders", Map.of("X-Api-Key", "guess-2")).assertProblem(401, "X-Api-Key");

        Result limited = send("GET", "/api/v1/orders", Map.of("X-Api-Key", "guess-3"));

        limited.assertProblem(429, "Too many requests");
        assertThat(limited.response().getHeader("Retry-After")).isEqualTo("1");
        assertThat(send("GET", "/api/v1/orders", Map.of("X-Api-Key", "guess-4"), "10.0.0.2").response().getStatus())
                .isEqualTo(401);
        assertThat(send("GET", "/api/v1/orders", Map.of("X-Api-Key", "key-a")).passed())
                .as("a valid key is limited by its own bucket, not its address's").isTrue();
    }

    private Result send(String method, String path, Map<String, String> headers) throws Exception {
        return send(method, path, headers, "127.0.0.1");
    }

    private Result send(String method, String path, Map<String, String> headers, String remoteAddress) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr(remoteAddress);
        headers.forEach(request::addHeader);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Result(chain.getRequest() != null, (Account) request.getAttribute(ApiKeyFilter.ACCOUNT_ATTRIBUTE),
                response);
    }

    private record Result(boolean passed, Account account, MockHttpServletResponse response) {
        void assertProblem(int status, String detail) throws Exception {
            assertThat(response.getStatus()).isEqualTo(status);
            assertThat(response.getContentType()).startsWith("application/problem+json");
            JsonNode body = new ObjectMapper().readTree(response.getContentAsString());
            assertThat(body.path("status").asInt()).isEqualTo(status);
            assertThat(body.path("detail").asText()).contains(detail);
            assertThat(response.getContentAsString()).doesNotContain("key-a", ApiKeys.sha256("key-a"), "internal-secret");
        }
    }
}
