package io.certflow.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Authenticates every request: {@code /api/**} by its {@code X-Api-Key} (which names the account),
 * {@code /internal/**} by the service credential in {@code X-Internal-Token}. Anything else (health,
 * metrics) passes. A missing or wrong credential is a 401 problem+json, and never says which part was wrong.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    /** Request attribute holding the {@link Account}. */
    public static final String ACCOUNT_ATTRIBUTE = ApiKeyFilter.class.getName() + ".account";
    public static final String API_KEY_HEADER = "X-Api-Key";
    public static final String INTERNAL_TOKEN_HEADER = "X-Internal-Token";

    private final SecurityProperties security;

    public ApiKeyFilter(SecurityProperties security) {
        this.security = security;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/")) {
            String accountId = accountOf(request.getHeader(API_KEY_HEADER));
            if (accountId == null) {
                unauthorized(response, "A valid X-Api-Key header is required.");
                return;
            }
            request.setAttribute(ACCOUNT_ATTRIBUTE, new Account(accountId));
        } else if (path.startsWith("/internal/")) {
            if (!matches(security.internalToken(), request.getHeader(INTERNAL_TOKEN_HEADER))) {
                unauthorized(response, "A valid X-Internal-Token header is required.");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private String accountOf(String apiKey) {
        if (apiKey == null) {
            return null;
        }
        String found = null;
        for (Map.Entry<String, String> entry : security.apiKeys().entrySet()) {
            if (matches(entry.getKey(), apiKey)) {
                found = entry.getValue();
            }
        }
        return found;
    }

    private static boolean matches(String expected, String given) {
        if (expected == null || expected.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static void unauthorized(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail + "\"}");
    }
}
