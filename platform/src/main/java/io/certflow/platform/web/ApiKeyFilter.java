package io.certflow.platform.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authenticates every request: {@code /api/**} by its {@code X-Api-Key} (hashed and compared with the
 * configured hashes; the key's {@link Role} decides what it may do and for which account),
 * {@code /internal/**} by the service credential in {@code X-Internal-Token} only (no API key, not even
 * an operator's, opens it). Anything else (health, metrics, the API docs and Swagger UI) passes. Requests are rate-limited per key,
 * and requests without a valid credential per remote address. Refusals are problem+json: 401 that
 * never says which part was wrong, 403 for a write with a key that only reads, 400 for an operator
 * request that names no account, 429 with {@code Retry-After}.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    /** Request attribute holding the {@link Account}. */
    public static final String ACCOUNT_ATTRIBUTE = ApiKeyFilter.class.getName() + ".account";
    public static final String API_KEY_HEADER = "X-Api-Key";
    public static final String INTERNAL_TOKEN_HEADER = "X-Internal-Token";
    /** The account an {@link Role#OPERATOR} key reads. */
    public static final String ACCOUNT_HEADER = "X-Certflow-Account";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecurityProperties security;
    private final RateLimiter rateLimiter;

    public ApiKeyFilter(SecurityProperties security, RateLimiter rateLimiter) {
        this.security = security;
        this.rateLimiter = rateLimiter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/")) {
            Account account = authenticate(request, response);
            if (account == null) {
                return;
            }
            request.setAttribute(ACCOUNT_ATTRIBUTE, account);
        } else if (path.startsWith("/internal/")) {
            if (!matches(security.internalToken(), request.getHeader(INTERNAL_TOKEN_HEADER))) {
                refuseUnauthenticated(request, response, "A valid X-Internal-Token header is required.");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The account the request acts for, or {@code null} once the refusal is written. */
    private Account authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map.Entry<String, SecurityProperties.ApiKey> key = ApiKeys.find(security.apiKeys(), request.getHeader(API_KEY_HEADER));
        if (key == null) {
            refuseUnauthenticated(request, response, "A valid X-Api-Key header is required.");
            return null;
        }
        String name = key.getKey();
        Role role = key.getValue().role();
        Duration wait = rateLimiter.acquire("key:" + name);
        if (!wait.isZero()) {
            tooManyRequests(response, wait);
            return null;
        }
        if (!role.mayWrite() && !isRead(request)) {
            problem(response, HttpStatus.FORBIDDEN, role == Role.OPERATOR
                    ? "This is an operator key: it only reads (GET, HEAD)."
                    : "This is a read-only key: it only reads (GET, HEAD).");
            return null;
        }
        if (!role.needsAccount()) {
            String named = request.getHeader(ACCOUNT_HEADER);
            if (named == null || named.isBlank()) {
                problem(response, HttpStatus.BAD_REQUEST,
                        "An operator key reads one account per request: name it in the " + ACCOUNT_HEADER + " header.");
                return null;
            }
            return new Account(named.strip(), role, name);
        }
        return new Account(key.getValue().account(), role, name);
    }

    private static boolean isRead(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    private static boolean matches(String expected, String given) {
        if (expected == null || expected.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** A 401, or a 429 once this address has failed too often (so that keys cannot be guessed quickly). */
    private void refuseUnauthenticated(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        Duration wait = rateLimiter.acquire("address:" + request.getRemoteAddr());
        if (!wait.isZero()) {
            tooManyRequests(response, wait);
        } else {
            problem(response, HttpStatus.UNAUTHORIZED, detail);
        }
    }

    private static void tooManyRequests(HttpServletResponse response, Duration wait) throws IOException {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        problem(response, HttpStatus.TOO_MANY_REQUESTS,
                "Too many requests: retry after " + seconds + " s.");
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
