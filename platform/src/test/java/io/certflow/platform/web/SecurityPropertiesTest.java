package io.certflow.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration as an operator writes it, bound the way Spring Boot binds it at start-up. */
class SecurityPropertiesTest {

    private static final String HASH_A = ApiKeys.sha256("key-a");
    private static final String HASH_OP = ApiKeys.sha256("key-op");

    @Test
    void bindsKeysByNameWithHashAccountAndRole_ownerByDefault() {
        SecurityProperties security = bind(Map.of(
                "certflow.security.api-keys.team-a.sha256", HASH_A,
                "certflow.security.api-keys.team-a.account", "account-a",
                "certflow.security.api-keys.dashboards.sha256", HASH_OP,
                "certflow.security.api-keys.dashboards.role", "OPERATOR",
                "certflow.security.internal-token", "secret-token"));

        assertThat(security.apiKeys()).containsOnlyKeys("team-a", "dashboards");
        assertThat(security.apiKeys().get("team-a")).isEqualTo(new SecurityProperties.ApiKey(HASH_A, "account-a", Role.OWNER));
        assertThat(security.apiKeys().get("dashboards").role()).isEqualTo(Role.OPERATOR);
        assertThat(security.apiKeys().get("dashboards").account()).isNull();
        assertThat(security.rateLimit()).isEqualTo(new SecurityProperties.RateLimit(50, 100));
    }

    @Test
    void bindsTheRateLimit() {
        SecurityProperties security = bind(Map.of(
                "certflow.security.rate-limit.requests-per-second", "0"));

        assertThat(security.rateLimit().enabled()).isFalse();
        assertThat(security.rateLimit().burst()).isEqualTo(100);
    }

    @Test
    void neverPrintsHashesOrTheInternalToken() {
        SecurityProperties security = bind(Map.of(
                "certflow.security.api-keys.team-a.sha256", HASH_A,
                "certflow.security.api-keys.team-a.account", "account-a",
                "certflow.security.internal-token", "secret-token"));

        assertThat(security.toString()).contains("team-a").doesNotContain(HASH_A, "secret-token");
        assertThat(security.apiKeys().get("team-a").toString()).doesNotContain(HASH_A);
    }

    @Test
    void anEntryWithoutHashStopsTheStart() {
        assertThatThrownBy(() -> bind(Map.of("certflow.security.api-keys.team-a.account", "account-a")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("certflow.security.api-keys.team-a.sha256 is missing");
    }

    @Test
    void aMalformedHashStopsTheStart() {
        for (String bad : new String[] {"key-a", HASH_A.toUpperCase(), HASH_A.substring(1), HASH_A + "0"}) {
            assertThatThrownBy(() -> bind(Map.of(
                    "certflow.security.api-keys.team-a.sha256", bad,
                    "certflow.security.api-keys.team-a.account", "account-a")))
                    .rootCause().hasMessageContaining("team-a.sha256 is not a SHA-256").hasMessageNotContaining(bad);
        }
    }

    @Test
    void anOwnerOrReadOnlyKeyWithoutAccountStopsTheStart() {
        assertThatThrownBy(() -> bind(Map.of("certflow.security.api-keys.team-a.sha256", HASH_A)))
                .rootCause().hasMessageContaining("team-a.account is missing: a OWNER key acts for one account");
        assertThatThrownBy(() -> bind(Map.of(
                "certflow.security.api-keys.viewer.sha256", HASH_A,
                "certflow.security.api-keys.viewer.role", "READ_ONLY")))
                .rootCause().hasMessageContaining("viewer.account is missing");
    }

    @Test
    void anOperatorKeyWithAnAccountOrTwoEntriesWithOneHashStopTheStart() {
        assertThatThrownBy(() -> bind(Map.of(
                "certflow.security.api-keys.dashboards.sha256", HASH_OP,
                "certflow.security.api-keys.dashboards.account", "account-a",
                "certflow.security.api-keys.dashboards.role", "OPERATOR")))
                .rootCause().hasMessageContaining("dashboards.account is set, but an OPERATOR key reads any account");
        assertThatThrownBy(() -> bind(Map.of(
                "certflow.security.api-keys.one.sha256", HASH_A,
                "certflow.security.api-keys.one.account", "account-a",
                "certflow.security.api-keys.two.sha256", HASH_A,
                "certflow.security.api-keys.two.account", "account-b")))
                .rootCause().hasMessageContaining("have the same sha256");
    }

    @Test
    void aNegativeRateStopsTheStart() {
        assertThatThrownBy(() -> bind(Map.of("certflow.security.rate-limit.requests-per-second", "-1")))
                .rootCause().hasMessageContaining("requests-per-second must be 0 (off) or positive");
    }

    private static SecurityProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("certflow.security", SecurityProperties.class);
    }
}
