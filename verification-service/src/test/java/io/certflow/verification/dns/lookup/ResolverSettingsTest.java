package io.certflow.verification.dns.lookup;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResolverSettingsTest {

    @Test
    void parsesHostPortForms() {
        ResolverSettings v4 = ResolverSettings.parse("127.0.0.1:5353");
        assertThat(v4.host()).isEqualTo("127.0.0.1");
        assertThat(v4.port()).isEqualTo(5353);
        assertThat(v4.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(v4.attempts()).isEqualTo(2);
        assertThat(v4.authoritativePort()).isEqualTo(53);
        assertThat(v4.withAuthoritativePort(5353).authoritativePort()).isEqualTo(5353);
        assertThat(ResolverSettings.parse("[::1]:53").host()).isEqualTo("::1");
        assertThat(ResolverSettings.parse("10.0.0.1").port()).isEqualTo(53);
        assertThat(ResolverSettings.parse("::1").host()).isEqualTo("::1");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> ResolverSettings.parse("host:port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResolverSettings.parse("host:70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResolverSettings.parse(":53")).isInstanceOf(IllegalArgumentException.class);
    }
}
