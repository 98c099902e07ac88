package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.InvalidTargetConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NginxConfigTest {

    @TempDir
    Path dir;

    private Map<String, String> valid() {
        Map<String, String> c = new HashMap<>();
        c.put("certificatePath", dir.resolve("site.crt").toString());
        c.put("keyPath", dir.resolve("site.key").toString());
        c.put("reloadCommand", "/usr/sbin/nginx -p " + dir + " -s reload");
        c.put("testCommand", "/usr/sbin/nginx -t -p " + dir);
        c.put("tlsAddress", "127.0.0.1:8443");
        c.put("serverName", "WWW.Example.test");
        return c;
    }

    @Test
    void readsAValidConfig() {
        NginxConfig config = NginxConfig.parse(valid(), List.of(), List.of());

        assertThat(config.certificatePath()).isEqualTo(dir.resolve("site.crt"));
        assertThat(config.reloadCommand()).containsExactly("/usr/sbin/nginx", "-p", dir.toString(), "-s", "reload");
        assertThat(config.tlsHost()).isEqualTo("127.0.0.1");
        assertThat(config.tlsPort()).isEqualTo(8443);
        assertThat(config.serverName()).isEqualTo("www.example.test");
    }

    @Test
    void theTestCommandIsOptionalAndIPv6AddressesWork() {
        Map<String, String> c = valid();
        c.remove("testCommand");
        c.put("tlsAddress", "[::1]:443");

        NginxConfig config = NginxConfig.parse(c, List.of(), List.of());

        assertThat(config.testCommand()).isEmpty();
        assertThat(config.tlsHost()).isEqualTo("::1");
    }

    @Test
    void namesEveryMissingSetting() {
        assertThatThrownBy(() -> NginxConfig.parse(Map.of(), List.of(), List.of()))
                .isInstanceOf(InvalidTargetConfigException.class)
                .satisfies(e -> assertThat(((InvalidTargetConfigException) e).problems()).hasSize(5))
                .hasMessageContaining("'certificatePath' is required")
                .hasMessageContaining("'keyPath' is required")
                .hasMessageContaining("'reloadCommand' is required")
                .hasMessageContaining("'tlsAddress' is required")
                .hasMessageContaining("'serverName' is required");
    }

    @Test
    void explainsInvalidSettings() {
        Map<String, String> c = valid();
        c.put("certificatePath", "relative/site.crt");
        c.put("keyPath", "/nonexistent-dir/site.key");
        c.put("reloadCommand", "/bin/rm -rf /");
        c.put("tlsAddress", "127.0.0.1:99999");
        c.put("serverName", "not a name");
        c.put("certPath", "/typo");

        assertThatThrownBy(() -> NginxConfig.parse(c, List.of("/usr/sbin/nginx"), List.of()))
                .hasMessageContaining("'certificatePath' must be an absolute path")
                .hasMessageContaining("directory /nonexistent-dir does not exist")
                .hasMessageContaining("'reloadCommand' must start with one of the allowed executables")
                .hasMessageContaining("port must be 1-65535")
                .hasMessageContaining("'serverName' is not a valid host name")
                .hasMessageContaining("unknown setting 'certPath'");
    }

    @Test
    void theKeyMustNotOverwriteTheCertificate() {
        Map<String, String> c = valid();
        c.put("keyPath", c.get("certificatePath"));

        assertThatThrownBy(() -> NginxConfig.parse(c, List.of(), List.of())).hasMessageContaining("must differ");
    }

    @Test
    void filesMustStayInTheAllowedDirectories(@TempDir Path elsewhere) throws Exception {
        assertThat(NginxConfig.parse(valid(), List.of(), List.of(dir)).keyPath()).isEqualTo(dir.resolve("site.key"));

        Map<String, String> c = valid();
        c.put("certificatePath", elsewhere.resolve("site.crt").toString());
        c.put("keyPath", dir.resolve("../" + elsewhere.getFileName() + "/site.key").toString());
        assertThatThrownBy(() -> NginxConfig.parse(c, List.of(), List.of(dir)))
                .hasMessageContaining("'certificatePath' must be in one of the allowed directories")
                .hasMessageContaining("'keyPath' must be in one of the allowed directories");

        java.nio.file.Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        Map<String, String> linked = valid();
        linked.put("keyPath", dir.resolve("link/site.key").toString());
        assertThatThrownBy(() -> NginxConfig.parse(linked, List.of(), List.of(dir)))
                .hasMessageContaining("'keyPath' must be in one of the allowed directories");
    }
}
