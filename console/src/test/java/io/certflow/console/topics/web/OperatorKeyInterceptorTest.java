package io.certflow.console.topics.web;

import io.certflow.console.topics.OpsProperties;
import io.certflow.platform.web.Role;
import io.certflow.platform.web.SecurityProperties;
import io.certflow.testsupport.TestApiKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A replay key must be a configured operator key, or the console does not start. */
class OperatorKeyInterceptorTest {

    private static final SecurityProperties SECURITY = new SecurityProperties(Map.of(
            "ops", new SecurityProperties.ApiKey(TestApiKeys.KEY_OPERATOR_SHA256, null, Role.OPERATOR),
            "owner", new SecurityProperties.ApiKey(TestApiKeys.KEY_A_SHA256, "account-a", Role.OWNER)), null, null);

    @Test
    void acceptsAnOperatorKeyAsReplayKey() {
        assertThatCode(() -> new OperatorKeyInterceptor(SECURITY, replayKeys("ops"))).doesNotThrowAnyException();
    }

    @Test
    void refusesAReplayKeyThatIsNotConfigured() {
        assertThatThrownBy(() -> new OperatorKeyInterceptor(SECURITY, replayKeys("oncall")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certflow.console.ops.replay-keys names 'oncall', which is not a configured OPERATOR key "
                        + "(certflow.security.api-keys.oncall.role=OPERATOR)");
    }

    @Test
    void refusesAnOwnerKeyAsReplayKey() {
        assertThatThrownBy(() -> new OperatorKeyInterceptor(SECURITY, replayKeys("owner")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'owner', which is not a configured OPERATOR key");
    }

    private static OpsProperties replayKeys(String... names) {
        return new OpsProperties(20, 200, 100, 4096, Duration.ofSeconds(2), Duration.ofSeconds(10), List.of(names),
                "certflow-console.dlt-replays");
    }
}
