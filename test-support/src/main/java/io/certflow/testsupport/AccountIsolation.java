package io.certflow.testsupport;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of a service's API calls that name one account's object, and the checks an
 * {@code AccountIsolationIT} makes with it: another account gets a 404 problem+json that shows none of
 * the owner's data, the owner still gets its objects, and the table covers every {@code /api/**}
 * mapping with a path variable, so that a new endpoint cannot be left out of the test.
 */
public final class AccountIsolation {

    /**
     * One call.
     *
     * @param method  the HTTP method
     * @param pattern the mapping it exercises, as declared ({@code /api/v1/orders/{orderId}})
     * @param path    the path with the owner's id filled in
     * @param body    the JSON body of a write ({@code null} for none)
     */
    public record Call(String method, String pattern, String path, Object body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final List<Call> calls = new ArrayList<>();

    /** Adds a call with no body. */
    public AccountIsolation call(String method, String pattern, String path) {
        return call(method, pattern, path, null);
    }

    /** Adds a call. */
    public AccountIsolation call(String method, String pattern, String path, Object body) {
        calls.add(new Call(method, pattern, path, body));
        return this;
    }

    /** This table's calls and the other's, for {@link #assertCoversEveryApiMappingWithAPathVariable} over both. */
    public AccountIsolation and(AccountIsolation other) {
        AccountIsolation both = new AccountIsolation();
        both.calls.addAll(calls);
        both.calls.addAll(other.calls);
        return both;
    }

    /** The calls, in the order added. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Fails naming every {@code /api/**} mapping with a path variable (method and pattern) that no call exercises. */
    public void assertCoversEveryApiMappingWithAPathVariable(RequestMappingHandlerMapping mapping) {
        Set<String> exercised = new TreeSet<>();
        calls.forEach(c -> exercised.add(c.method() + " " + c.pattern()));
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) {
                methods.add("GET");
            }
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/api/") && pattern.contains("{")) {
                    methods.forEach(m -> {
                        if (!exercised.contains(m + " " + pattern)) {
                            missing.add(m + " " + pattern + " (" + entry.getValue().getShortLogMessage() + ")");
                        }
                    });
                }
            }
        }
        assertThat(missing).as("API mappings with a path variable that the isolation table does not exercise").isEmpty();
    }

    /**
     * Sends every call with {@code otherKey} and asserts each is a 404 problem+json whose body contains none of
     * {@code ownersData} (the owner's account id, names, values only the owner gave).
     */
    public void assertEachIsNotFoundFor(ApiClient api, String otherKey, String... ownersData) {
        for (Call c : calls) {
            ApiClient.Response r = assertEachAnswers(c, api, otherKey, 404, ownersData);
            assertThat(r.contentType()).as("%s", c).contains("application/problem+json");
        }
    }

    /**
     * For names any account may use (a domain): sends every call with {@code otherKey} and asserts each answers
     * {@code status} from the other account's own state, whose body contains none of {@code ownersData}.
     */
    public void assertEachAnswersFromItsOwnAccount(ApiClient api, String otherKey, int status, String... ownersData) {
        for (Call c : calls) {
            assertEachAnswers(c, api, otherKey, status, ownersData);
        }
    }

    private static ApiClient.Response assertEachAnswers(Call c, ApiClient api, String otherKey, int status,
                                                        String... ownersData) {
        ApiClient.Response r = api.request(c.method(), c.path(), otherKey, c.body());
        assertThat(r.status()).as("%s with another account's key: %s", c, r.body()).isEqualTo(status);
        for (String data : ownersData) {
            assertThat(r.body()).as("%s shows the owner's data", c).doesNotContain(data);
        }
        return r;
    }

    /** The owner still reads each object the table names: every GET call answers 200 with its key. */
    public void assertOwnerReadsEach(ApiClient api, String ownerKey) {
        List<Call> reads = calls.stream().filter(c -> c.method().equals("GET")).toList();
        assertThat(reads).as("the table has reads that show the objects exist").isNotEmpty();
        for (Call c : reads) {
            ApiClient.Response r = api.request(c.method(), c.path(), ownerKey, null);
            assertThat(r.status()).as("%s with the owner's key: %s", c, r.body()).isEqualTo(200);
        }
    }
}
