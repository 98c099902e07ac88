package io.certflow.testsupport.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fuzzer's property itself: what it lets pass, and each way an answer breaks the API's contract. */
class ResponseCheckTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private final ResponseCheck check = new ResponseCheck(List.of("key-secret-1"));

    @Test
    void successesAndProblemsPass() {
        assertThat(check.violation(200, "application/json", "{}", null)).isEmpty();
        assertThat(check.violation(204, null, "", null)).isEmpty();
        assertThat(check.violation(404, PROBLEM_JSON, "{\"title\":\"Not Found\",\"status\":404}", null)).isEmpty();
        assertThat(check.violation(401, PROBLEM_JSON, "{\"title\":\"Unauthorized\",\"status\":401}", 401)).isEmpty();
    }

    @Test
    void aServerErrorNeverPasses() {
        assertThat(check.violation(500, PROBLEM_JSON, "{\"title\":\"Internal Server Error\",\"status\":500}", null))
                .hasValue("a 500 (server error)");
        assertThat(check.violation(503, null, "", null)).hasValue("a 503 (server error)");
    }

    @Test
    void aClientErrorMustBeAProblemWithStatusAndTitle() {
        assertThat(check.violation(400, "text/html;charset=utf-8", "<html>", null))
                .hasValue("a 400 of Content-Type 'text/html;charset=utf-8', not application/problem+json");
        assertThat(check.violation(400, PROBLEM_JSON, "not json", null)).hasValue("a 400 whose problem+json body is not JSON");
        assertThat(check.violation(400, PROBLEM_JSON, "{\"title\":\"Bad Request\",\"status\":409}", null))
                .hasValue("a 400 whose problem says status 409");
        assertThat(check.violation(400, PROBLEM_JSON, "{\"status\":400}", null)).hasValue("a 400 whose problem has no title");
    }

    @Test
    void theStatusARequestDemandsIsChecked() {
        assertThat(check.violation(200, "application/json", "{}", 401)).hasValue("status 200 where 401 was due");
        assertThat(check.violation(400, PROBLEM_JSON, "{\"title\":\"Bad Request\",\"status\":400}", 413))
                .hasValue("status 400 where 413 was due");
    }

    @Test
    void aSecretComingBackFailsAndIsMaskedInTheReport() {
        assertThat(check.violation(200, "application/json", "{\"apiKey\":\"key-secret-1\"}", null))
                .hasValueSatisfying(v -> assertThat(v).startsWith("the answer echoes a secret").doesNotContain("key-secret-1")
                        .contains("\"apiKey\":\"***\""));
    }
}
