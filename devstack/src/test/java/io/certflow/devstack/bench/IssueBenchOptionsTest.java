package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IssueBenchOptionsTest {

    @Test
    void defaultsAreTwentyCertificatesEightClientsAndBothPeers() {
        IssueBench.Options o = IssueBench.Options.parse(List.of());
        assertThat(o.count()).isEqualTo(20);
        assertThat(o.clients()).isEqualTo(8);
        assertThat(o.peers()).containsExactly(PeerClientRun.Client.LEGO, PeerClientRun.Client.CERTBOT);
        assertThat(o.peerParallel()).isEqualTo(1);
    }

    @Test
    void optionsAreRead() {
        IssueBench.Options o = IssueBench.Options.parse(List.of("--count", "200", "--clients", "16", "--peers", "lego",
                "--peer-parallel", "4", "--timeout-minutes", "30"));
        assertThat(o.count()).isEqualTo(200);
        assertThat(o.clients()).isEqualTo(16);
        assertThat(o.peers()).containsExactly(PeerClientRun.Client.LEGO);
        assertThat(o.peerParallel()).isEqualTo(4);
        assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(IssueBench.Options.parse(List.of("--no-peers")).peers()).isEmpty();
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> IssueBench.Options.parse(List.of("--count", "0")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--count");
        assertThatThrownBy(() -> IssueBench.Options.parse(List.of("--count")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> IssueBench.Options.parse(List.of("--fast")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--fast");
    }
}
