package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.InvalidTargetConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaproxyConfigTest {

    @TempDir
    Path dir;

    private Map<String, String> valid() {
        Map<String, String> c = new HashMap<>();
        c.put("certificatePath", dir.resolve("site.pem").toString());
        c.put("adminSocket", dir.resolve("admin.sock").toString());
        c.put("tlsAddress", "127.0.0.1:8443");
        c.put("serverName", "WWW.Example.test");
        return c;
    }

    @Test
    void readsAValidConfig() {
        HaproxyConfig config = HaproxyConfig.parse(valid(), List.of(dir));

        assertThat(config.certificatePath()).isEqualTo(dir.resolve("site.pem"));
        assertThat(config.adminSocket()).isEqualTo(dir.resolve("admin.sock"));
        assertThat(config.tlsHost()).isEqualTo("127.0.0.1");
        assertThat(config.tlsPort()).isEqualTo(8443);
        assertThat(config.serverName()).isEqualTo("www.example.test");
    }

    @Test
    void ipv6AddressesWork() {
        Map<String, String> c = valid();
        c.put("tlsAddress", "[::1]:443");

        assertThat(HaproxyConfig.parse(c, List.of()).tlsHost()).isEqualTo("::1");
    }

    @Test
    void namesEveryMissingSetting() {
        assertThatThrownBy(() -> HaproxyConfig.parse(Map.of(), List.of()))
                .isInstanceOf(InvalidTargetConfigException.class)
                .satisfies(e -> assertThat(((InvalidTargetConfigException) e).problems()).hasSize(4))
                .hasMessageStartingWith("invalid haproxy resource config")
                .hasMessageContaining("'certificatePath' is required")
                .hasMessageContaining("'adminSocket' is required")
                .hasMessageContaining("'tlsAddress' is required")
                .hasMessageContaining("'serverName' is required");
    }

    @Test
    void explainsInvalidSettings() {
        Map<String, String> c = valid();
        c.put("certificatePath", "relative/site.pem");
        c.put("adminSocket", "/nonexistent-dir/admin.sock");
        c.put("tlsAddress", "127.0.0.1:99999");
        c.put("serverName", "not a name");
        c.put("keyPath", "/typo");

        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of()))
                .isInstanceOf(InvalidTargetConfigException.class)
                .satisfies(e -> assertThat(((InvalidTargetConfigException) e).problems()).hasSize(5))
                .hasMessageContaining("'certificatePath' must be an absolute path")
                .hasMessageContaining("directory /nonexistent-dir does not exist")
                .hasMessageContaining("port must be 1-65535")
                .hasMessageContaining("'serverName' is not a valid host name")
                .hasMessageContaining("unknown setting 'keyPath' (known: adminSocket, certificatePath, serverName, tlsAddress)");
    }

    @Test
    void tlsAddressNeedsHostAndNumericPort() {
        Map<String, String> c = valid();
        c.put("tlsAddress", "localhost");
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of())).hasMessageContaining("must be host:port");
        c.put("tlsAddress", "localhost:https");
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of())).hasMessageContaining("port is not a number");
    }

    @Test
    void theCertificateMustBeAFileAndDifferFromTheSocket() throws Exception {
        Map<String, String> c = valid();
        Files.createDirectory(dir.resolve("certs"));
        c.put("certificatePath", dir.resolve("certs").toString());
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of())).hasMessageContaining("is a directory, not a file");

        c.put("certificatePath", c.get("adminSocket"));
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of()))
                .hasMessageContaining("'adminSocket' must differ from 'certificatePath'");
    }

    @Test
    void pathsMustStayInTheAllowedDirectories(@TempDir Path elsewhere) throws Exception {
        Path allowed = Files.createDirectory(dir.resolve("allowed"));
        Map<String, String> c = valid();
        c.put("certificatePath", dir.resolve("site.pem").toString());
        c.put("adminSocket", allowed.resolve("admin.sock").toString());

        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of(allowed)))
                .hasMessageContaining("'certificatePath' must be in one of the allowed directories")
                .hasMessageNotContaining("'adminSocket' must be");

        // neither .. nor a symbolic link leads out
        c.put("certificatePath", allowed + "/../site.pem");
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of(allowed)))
                .hasMessageContaining("'certificatePath' must be in one of the allowed directories");
        Path link = Files.createSymbolicLink(allowed.resolve("link"), elsewhere);
        c.put("certificatePath", link.resolve("site.pem").toString());
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of(allowed)))
                .hasMessageContaining("'certificatePath' must be in one of the allowed directories");
        c.put("adminSocket", elsewhere.resolve("admin.sock").toString());
        c.put("certificatePath", allowed.resolve("site.pem").toString());
        assertThatThrownBy(() -> HaproxyConfig.parse(c, List.of(allowed)))
                .hasMessageContaining("'adminSocket' must be in one of the allowed directories");

        c.put("adminSocket", allowed.resolve("admin.sock").toString());
        assertThat(HaproxyConfig.parse(c, List.of(allowed)).certificatePath()).isEqualTo(allowed.resolve("site.pem"));
    }
}
