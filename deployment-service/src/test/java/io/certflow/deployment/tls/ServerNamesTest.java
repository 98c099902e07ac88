package io.certflow.deployment.tls;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerNamesTest {

    @Test
    void readsBackThroughTheFirstPlainNameElseThroughAWildcard() {
        assertThat(ServerNames.forReadBack(List.of("*.example.com", "WWW.example.com"))).contains("www.example.com");
        assertThat(ServerNames.forReadBack(List.of("*.Apps.example.com"))).contains("certflow-read-back.apps.example.com");
        assertThat(ServerNames.forReadBack(List.of("_", "localhost", "*", "*.com."))).isEmpty();
        assertThat(ServerNames.forReadBack(List.of())).isEmpty();
    }

    @Test
    void aHostNameHasADotAndNothingAClientCannotSend() {
        assertThat(ServerNames.isHostName("www.example.com")).isTrue();
        assertThat(ServerNames.isHostName("xn--bcher-kva.example")).isTrue();
        assertThat(ServerNames.isHostName("localhost")).isFalse();
        assertThat(ServerNames.isHostName("10.0.0.1")).isFalse();
        assertThat(ServerNames.isHostName("*.example.com")).isFalse();
        assertThat(ServerNames.isHostName(".example.com")).isFalse();
        assertThat(ServerNames.isHostName("a b.example.com")).isFalse();
        assertThat(ServerNames.isHostName("bad_label!.example.com")).isFalse();
        assertThat(ServerNames.isHostName(null)).isFalse();
    }
}
