package io.certflow.deployment.tls;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ServedCertificateReaderTest {

    private final ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));

    @Test
    void tellsAPortThatTakesConnectionsFromOneThatRefusesThem() throws Exception {
        int port;
        try (ServerSocket open = new ServerSocket(0)) {
            port = open.getLocalPort();
            assertThat(reader.connectFailure("127.0.0.1", port)).isEmpty();
        }

        assertThat(reader.connectFailure("127.0.0.1", port)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("127.0.0.1:" + port + " does not accept connections (").contains("refused"));
        assertThat(reader.connectFailure("no-such-host.invalid", 443)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("no-such-host.invalid:443 does not accept connections"));
    }
}
