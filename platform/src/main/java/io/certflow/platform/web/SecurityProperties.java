package io.certflow.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may call a service, and how often. API keys are configured by name, each with the SHA-256 of
 * the key (never the key), its account and its {@link Role}:
 * {@code certflow.security.api-keys.<name>.sha256|account|role}. A wrong entry stops the service at
 * start-up with a message naming it, rather than locking its caller out later.
 *
 * @param apiKeys       key name → the key's hash, account and role
 * @param internalToken the shared credential of service-to-service calls under {@code /internal/}
 * @param rateLimit     how many requests each key (or, unauthenticated, each remote address) may send
 */
@ConfigurationProperties("certflow.security")
public record SecurityProperties(Map<String, ApiKey> apiKeys, String internalToken,
                                 @DefaultValue RateLimit rateLimit) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public SecurityProperties {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
        rateLimit = rateLimit == null ? new RateLimit(RateLimit.DEFAULT_RATE, RateLimit.DEFAULT_BURST) : rateLimit;
        Map<String, String> names = new HashMap<>();
        apiKeys.forEach((name, key) -> {
            String where = "certflow.security.api-keys." + name;
            if (key.sha256() == null || key.sha256().isBlank()) {
                throw new IllegalArgumentException(where + ".sha256 is missing: set the SHA-256 of the key "
                        + "(ApiKeys.newKey() mints a key and its hash)");
            }
            if (!SHA256_HEX.matcher(key.sha256()).matches()) {
                throw new IllegalArgumentException(where + ".sha256 is not a SHA-256: expected 64 lower-case hex "
                        + "characters");
            }
            if (key.role().needsAccount() && (key.account() == null || key.account().isBlank())) {
                throw new IllegalArgumentException(where + ".account is missing: a " + key.role()
                        + " key acts for one account");
            }
            if (!key.role().needsAccount() && key.account() != null) {
                throw new IllegalArgumentException(where + ".account is set, but an OPERATOR key reads any account "
                        + "(named per request in X-Certflow-Account): remove it");
            }
            String other = names.put(key.sha256(), name);
            if (other != null) {
                throw new IllegalArgumentException("certflow.security.api-keys." + other + " and " + name
                        + " have the same sha256: give each key its own");
            }
        });
    }

    @Override
    public String toString() {
        return "SecurityProperties[apiKeys=" + apiKeys.keySet() + ", internalToken="
                + (internalToken == null ? "unset" : "set") + ", rateLimit=" + rateLimit + "]";
    }

    /**
     * One configured API key.
     *
     * @param sha256  lower-case hex SHA-256 of the key
     * @param account the account it acts for ({@code null} for {@link Role#OPERATOR})
     * @param role    what it may do (default {@link Role#OWNER})
     */
    public record ApiKey(String sha256, String account, Role role) {

        public ApiKey {
            role = role == null ? Role.OWNER : role;
        }

        @Override
        public String toString() {
            return "ApiKey[account=" + account + ", role=" + role + "]";
        }
    }

    /**
     * A token bucket per key: {@code requestsPerSecond} refill, up to {@code burst} at once.
     *
     * @param requestsPerSecond sustained rate; {@code 0} turns rate limiting off
     * @param burst             requests allowed at once after a quiet period
     */
    public record RateLimit(@DefaultValue("50") double requestsPerSecond, @DefaultValue("100") int burst) {

        static final double DEFAULT_RATE = 50;
        static final int DEFAULT_BURST = 100;

        public RateLimit {
            if (requestsPerSecond < 0 || Double.isNaN(requestsPerSecond) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException("certflow.security.rate-limit.requests-per-second must be 0 (off) "
                        + "or positive, not " + requestsPerSecond);
            }
            if (requestsPerSecond > 0 && burst < 1) {
                throw new IllegalArgumentException("certflow.security.rate-limit.burst must be at least 1, not " + burst);
            }
        }

        /** Whether requests are limited at all. */
        public boolean enabled() {
            return requestsPerSecond > 0;
        }
    }
}
