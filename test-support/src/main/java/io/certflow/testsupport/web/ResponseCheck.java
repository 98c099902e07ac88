package io.certflow.testsupport.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Optional;

/**
 * The property every answer of a certflow API must have, whatever was sent: never a 5xx; every 4xx is
 * {@code application/problem+json} with the same {@code status} and a {@code title}; the status the
 * request demands when it demands one (401 without a credential, 413 for a body too large); and no
 * secret the caller holds is echoed back.
 */
public final class ResponseCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> secrets;

    /** @param secrets strings that must never appear in an answer (API keys, tokens, credentials sent) */
    public ResponseCheck(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /**
     * What is wrong with the answer, if anything.
     *
     * @param expectedStatus the status the request demands, or {@code null}
     */
    public Optional<String> violation(int status, String contentType, String body, Integer expectedStatus) {
        if (status >= 500) {
            return Optional.of("a " + status + " (server error)");
        }
        if (expectedStatus != null && status != expectedStatus) {
            return Optional.of("status " + status + " where " + expectedStatus + " was due");
        }
        if (status < 200 || (status >= 300 && status < 400)) {
            return Optional.of("status " + status + " is neither success nor a client error");
        }
        for (String secret : secrets) {
            if (body != null && body.contains(secret)) {
                int at = body.indexOf(secret);
                String around = body.substring(Math.max(0, at - 150), Math.min(body.length(), at + secret.length() + 50));
                return Optional.of("the answer echoes a secret: …" + around.replace(secret, "***") + "…");
            }
        }
        if (status >= 400) {
            return problemViolation(status, contentType, body);
        }
        return Optional.empty();
    }

    private static Optional<String> problemViolation(int status, String contentType, String body) {
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return Optional.of("a " + status + " of Content-Type '" + contentType + "', not application/problem+json");
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (Exception e) {
            return Optional.of("a " + status + " whose problem+json body is not JSON");
        }
        if (problem == null || !problem.isObject()) {
            return Optional.of("a " + status + " whose problem+json body is not an object");
        }
        if (problem.path("status").asInt() != status) {
            return Optional.of("a " + status + " whose problem says status " + problem.path("status"));
        }
        if (problem.path("title").asText("").isBlank()) {
            return Optional.of("a " + status + " whose problem has no title");
        }
        return Optional.empty();
    }
}
