package io.certflow.deployment.target.ssh;

import io.certflow.deployment.target.InvalidTargetConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshResourceConfigTest {

    @Test
    void readsTheSettings() {
        SshResourceConfig config = SshResourceConfig.parse(Map.of(
                "certificatePath", "/etc/nginx/tls/www.crt", "keyPath", "/etc/nginx/tls/www.key",
                "reloadCommand", "sudo systemctl reload nginx", "tlsAddress", "[2001:db8::1]:443",
                "serverName", "WWW.Example.com"));

        assertThat(config).isEqualTo(new SshResourceConfig("/etc/nginx/tls/www.crt", "/etc/nginx/tls/www.key",
                "sudo systemctl reload nginx", "2001:db8::1", 443, "www.example.com"));
        assertThat(SshResourceConfig.directoryOf(config.keyPath())).isEqualTo("/etc/nginx/tls");
        assertThat(SshResourceConfig.fileNameOf(config.keyPath())).isEqualTo("www.key");
        assertThat(SshResourceConfig.directoryOf("/www.key")).isEqualTo("/");
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThatThrownBy(() -> SshResourceConfig.parse(Map.of(
                "certificatePath", "tls/www.crt", "keyPath", "/etc/../www.key", "reloadCommand", "a\nb",
                "tlsAddress", "web1", "serverName", "localhost", "host", "web1")))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "unknown setting 'host' (known: certificatePath, keyPath, reloadCommand, serverName, tlsAddress)",
                        "'certificatePath' must be an absolute path on the host",
                        "'keyPath' must be a plain absolute path (no //, . or ..)",
                        "'reloadCommand' must be one line",
                        "'tlsAddress' must be host:port, e.g. 127.0.0.1:443",
                        "'serverName' is not a valid host name"));
    }

    @Test
    void requiresEverySetting() {
        assertThatThrownBy(() -> SshResourceConfig.parse(Map.of()))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).hasSize(5)
                        .allSatisfy(p -> assertThat(p).contains("is required")));
        assertThatThrownBy(() -> SshResourceConfig.parse(Map.of("certificatePath", "/a/x.pem", "keyPath", "/a/x.pem",
                "reloadCommand", "true", "tlsAddress", "127.0.0.1:443", "serverName", "www.example.com")))
                .hasMessageContaining("'keyPath' must differ from 'certificatePath'");
        assertThatThrownBy(() -> SshResourceConfig.parse(Map.of("certificatePath", "/a/*.pem", "keyPath", "/a/x?.key",
                "reloadCommand", "true", "tlsAddress", "127.0.0.1:443", "serverName", "www.example.com")))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "'certificatePath' must not contain *, ? or \\", "'keyPath' must not contain *, ? or \\"));
    }
}
