package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.process.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NginxDiscoveryTest {

    @TempDir
    Path dir;

    private NginxDiscovery.Access access() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("my conf")).resolve("nginx.conf");
        return NginxDiscovery.Access.parse(new TargetAccess("local", Map.of("binary", "/usr/sbin/nginx",
                "configPath", conf.toString(), "prefix", dir + "/"), Map.of()), List.of("/usr/sbin/nginx"));
    }

    /** What registering would check: here, that files are in {@code certs}. */
    private List<DiscoveredResource> resources(String serverBlocks) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        String dump = "# configuration file " + dir.resolve("my conf/nginx.conf") + ":\nhttp {\n" + serverBlocks + "\n}\n";
        return NginxDiscovery.resources(NginxConfigDump.serverBlocks(dump.replace("CERTS", certs.toString())), access(),
                config -> NginxConfig.parse(config, List.of("/usr/sbin/nginx"), List.of(certs)));
    }

    @Test
    void aTlsBlockBecomesAResourceWithTheSettingsAPersonWouldRegister() throws Exception {
        List<DiscoveredResource> found = resources("""
                server { listen 80; server_name plain.example.com; }
                server {
                    listen 127.0.0.1:8443 ssl;
                    server_name Shop.Example.com .example.com;
                    ssl_certificate CERTS/shop.crt;
                    ssl_certificate_key CERTS/shop.key;
                }
                """);

        assertThat(found).hasSize(1);
        DiscoveredResource shop = found.get(0);
        assertThat(shop.externalId()).isEqualTo("shop.example.com:8443");
        assertThat(shop.name()).isEqualTo("shop.example.com:8443 (" + dir.resolve("my conf/nginx.conf") + ":3)");
        assertThat(shop.domains()).containsExactly("shop.example.com", "example.com", "*.example.com");
        assertThat(shop.config()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "certificatePath", dir.resolve("certs/shop.crt").toString(),
                "keyPath", dir.resolve("certs/shop.key").toString(),
                "reloadCommand", "/usr/sbin/nginx -p " + dir + "/ -c \"" + dir.resolve("my conf/nginx.conf")
                        + "\" -e stderr -s reload",
                "testCommand", "/usr/sbin/nginx -p " + dir + "/ -c \"" + dir.resolve("my conf/nginx.conf")
                        + "\" -e stderr -t -q",
                "tlsAddress", "127.0.0.1:8443",
                "serverName", "shop.example.com"));
        assertThat(CommandLine.split(shop.config().get("reloadCommand")))
                .containsExactly("/usr/sbin/nginx", "-p", dir + "/", "-c", dir.resolve("my conf/nginx.conf").toString(),
                        "-e", "stderr", "-s", "reload");
    }

    @Test
    void aWildcardOnlyBlockIsReadBackWithANameOnlyItsWildcardCovers() throws Exception {
        DiscoveredResource wildcard = resources("""
                server { listen 443 ssl; server_name *.apps.example.com;
                         ssl_certificate CERTS/apps.crt; ssl_certificate_key CERTS/apps.key; }
                """).get(0);

        assertThat(wildcard.externalId()).isEqualTo("*.apps.example.com:443");
        assertThat(wildcard.domains()).containsExactly("*.apps.example.com");
        assertThat(wildcard.config()).containsEntry("serverName", "certflow-read-back.apps.example.com")
                .containsEntry("tlsAddress", "127.0.0.1:443");
    }

    @Test
    void leavesOutBlocksCertflowCannotDeployTo() throws Exception {
        List<DiscoveredResource> found = resources("""
                server { listen 443 ssl default_server; server_name _ "";
                         ssl_certificate CERTS/default.crt; ssl_certificate_key CERTS/default.key; }
                server { listen 443 ssl; server_name two.example.com;
                         ssl_certificate CERTS/rsa.crt; ssl_certificate_key CERTS/rsa.key;
                         ssl_certificate CERTS/ecdsa.crt; ssl_certificate_key CERTS/ecdsa.key; }
                server { listen 443 ssl; server_name sni.example.com;
                         ssl_certificate CERTS/$ssl_server_name.crt; ssl_certificate_key CERTS/$ssl_server_name.key; }
                server { listen 443 ssl; server_name outside.example.com;
                         ssl_certificate /etc/ssl/outside.crt; ssl_certificate_key /etc/ssl/outside.key; }
                server { listen 443 ssl; server_name ~^(.+)\\.regex\\.com$ www.example.*;
                         ssl_certificate CERTS/regex.crt; ssl_certificate_key CERTS/regex.key; }
                server { listen 443 ssl; server_name ok.example.com;
                         ssl_certificate CERTS/ok.crt; ssl_certificate_key CERTS/ok.key; }
                server { listen [::]:443 ssl; server_name ok.example.com;
                         ssl_certificate CERTS/ok6.crt; ssl_certificate_key CERTS/ok6.key; }
                """);

        // no usable name, two certificates, a variable path, files outside the allowed directory, regex names:
        // left out; a second block with the same name and port: left out
        assertThat(found).extracting(DiscoveredResource::externalId).containsExactly("ok.example.com:443");
        assertThat(found.get(0).config()).containsEntry("certificatePath", dir.resolve("certs/ok.crt").toString());
    }

    @Test
    void keepsTheNamesACertificateCanHold() {
        assertThat(NginxDiscovery.domains(List.of("WWW.Example.com", ".example.org", "*.wild.example.net",
                "www.example.*", "~^www\\d+\\.example\\.com$", "_", "", "localhost", "$hostname", "www.example.com")))
                .containsExactly("www.example.com", "example.org", "*.example.org", "*.wild.example.net");
    }

    @Test
    void theCredentialHoldsPlainSettingsOnly() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf")).resolve("nginx.conf");

        NginxDiscovery.Access defaults = NginxDiscovery.Access.parse(new TargetAccess("c", Map.of(
                "configPath", conf.toString()), Map.of()), List.of("nginx", "/usr/sbin/nginx"));
        assertThat(defaults.dumpCommand()).containsExactly("nginx", "-c", conf.toString(), "-e", "stderr", "-T");

        assertThatThrownBy(() -> NginxDiscovery.Access.parse(new TargetAccess("c", Map.of("binary", "/bin/sh",
                "configPath", "nginx.conf", "prefix", "relative", "pidFile", "/run/nginx.pid"),
                Map.of("token", "s3cr3t")), List.of("nginx")))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("unknown setting 'pidFile'")
                .hasMessageContaining("takes no secrets (got [token])")
                .hasMessageContaining("'configPath' must be an absolute path")
                .hasMessageContaining("'binary' must be one of the allowed executables [nginx]")
                .hasMessageContaining("'prefix' must be an absolute path")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> NginxDiscovery.Access.parse(null, List.of()))
                .hasMessageContaining("needs the settings 'configPath'");
    }
}
