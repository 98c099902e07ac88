package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaproxyDiscoveryTest {

    @TempDir
    Path dir;

    private HaproxyDiscovery.Access access() {
        return HaproxyDiscovery.Access.parse(new TargetAccess("edge", Map.of("adminSocket", dir.resolve("admin.sock").toString(),
                "tlsAddress", "127.0.0.1:443"), Map.of()), List.of(dir));
    }

    private Optional<DiscoveredResource> resource(SslCertCommands.StoredCertificate certificate) {
        return HaproxyDiscovery.resource(certificate, access(), config -> HaproxyConfig.parse(config, List.of(dir)));
    }

    @Test
    void aServedCertificateBecomesAResourceNamedByItsFileCoveringItsSans() {
        String file = dir.resolve("site.pem").toString();

        DiscoveredResource site = resource(new SslCertCommands.StoredCertificate(file, "Used", "1a",
                List.of("*.Example.com", "example.com", "10.0.0.1"), "example.com")).orElseThrow();

        assertThat(site.externalId()).isEqualTo(file);
        assertThat(site.name()).isEqualTo("site.pem (*.example.com, example.com)");
        assertThat(site.domains()).containsExactly("*.example.com", "example.com");
        assertThat(site.config()).containsExactlyInAnyOrderEntriesOf(Map.of("certificatePath", file,
                "adminSocket", dir.resolve("admin.sock").toString(), "tlsAddress", "127.0.0.1:443",
                "serverName", "example.com"));
    }

    @Test
    void withoutSansTheCommonNameIsItsDomainAndAWildcardIsReadBackWithANameItCovers() {
        DiscoveredResource wildcard = resource(new SslCertCommands.StoredCertificate(dir.resolve("w.pem").toString(),
                "Used", "1a", List.of(), "*.apps.example.com")).orElseThrow();

        assertThat(wildcard.domains()).containsExactly("*.apps.example.com");
        assertThat(wildcard.config()).containsEntry("serverName", "certflow-read-back.apps.example.com");
    }

    @Test
    void leavesOutWhatNoBindServesWhatNamesNoHostAndWhatLiesOutsideTheAllowedDirectories() {
        assertThat(resource(new SslCertCommands.StoredCertificate(dir.resolve("spare.pem").toString(), "Empty", null,
                List.of(), null))).isEmpty();
        assertThat(resource(new SslCertCommands.StoredCertificate(dir.resolve("old.pem").toString(), "Unused", "1",
                List.of("old.example.com"), null))).isEmpty();
        assertThat(resource(new SslCertCommands.StoredCertificate(dir.resolve("ip.pem").toString(), "Used", "1",
                List.of(), "HAProxy internal"))).isEmpty();
        assertThat(resource(new SslCertCommands.StoredCertificate("/etc/ssl/private/other.pem", "Used", "1",
                List.of("other.example.com"), null))).isEmpty();
    }

    @Test
    void theCredentialHoldsPlainSettingsOnly() {
        assertThatThrownBy(() -> HaproxyDiscovery.Access.parse(new TargetAccess("edge", Map.of(
                "adminSocket", "/elsewhere/admin.sock", "certificatePath", "/x.pem"), Map.of("password", "s3cr3t")),
                List.of(dir)))
                .isInstanceOf(InvalidTargetConfigException.class)
                .hasMessageContaining("unknown setting 'certificatePath'")
                .hasMessageContaining("takes no secrets (got [password])")
                .hasMessageContaining("'tlsAddress' is required")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> HaproxyDiscovery.Access.parse(null, List.of()))
                .hasMessageContaining("needs the settings 'adminSocket' and 'tlsAddress'");
    }
}
