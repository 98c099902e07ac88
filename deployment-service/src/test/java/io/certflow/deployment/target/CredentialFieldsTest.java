package io.certflow.deployment.target;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import io.certflow.deployment.target.alibaba.AlibabaAlbTarget;
import io.certflow.deployment.target.alibaba.AlibabaCdnTarget;
import io.certflow.deployment.target.alibaba.AlibabaClients;
import io.certflow.deployment.target.alibaba.AlibabaDcdnTarget;
import io.certflow.deployment.target.alibaba.AlibabaOssTarget;
import io.certflow.deployment.target.alibaba.AlibabaProperties;
import io.certflow.deployment.target.alibaba.AlibabaSlbTarget;
import io.certflow.deployment.target.alibaba.AlibabaWafTarget;
import io.certflow.deployment.target.aws.AcmCertificateTarget;
import io.certflow.deployment.target.aws.AcmCertificates;
import io.certflow.deployment.target.aws.AwsTargetProperties;
import io.certflow.deployment.target.aws.CloudFrontTarget;
import io.certflow.deployment.target.aws.ElbListenerTarget;
import io.certflow.deployment.target.haproxy.HaproxyTarget;
import io.certflow.deployment.target.keystore.KeystoreTarget;
import io.certflow.deployment.target.kubernetes.KubernetesTarget;
import io.certflow.deployment.target.nginx.NginxTarget;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.target.ssh.SshTarget;
import io.certflow.deployment.target.webhook.WebhookTarget;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every target family's credential form ({@link DeploymentTarget#credentialFields()}) against its own check
 * ({@link DeploymentTarget#validateCredential}): the declared required fields alone pass, every declared field
 * together passes, leaving out any required field fails naming it, and a name the form does not declare fails. So
 * the console's form and the check cannot drift apart. The values are obviously fake.
 */
class CredentialFieldsTest {

    @TempDir
    static Path dir;

    /** A valid (fake) value per field name; a declared field without one here fails the test. */
    private static final Map<String, String> VALID = new HashMap<>();

    @BeforeAll
    static void validValues() throws Exception {
        VALID.putAll(Map.of(
                "accessKeyId", "AKIAFAKEFAKEFAKE0000",
                "accessKeySecret", "fake-access-key-secret",
                "regionId", "cn-hangzhou",
                "certificateRegion", "ap-southeast-1",
                "secretAccessKey", "fake-secret-access-key",
                "sessionToken", "fake-session-token",
                "region", "eu-west-1",
                "roleArn", "arn:aws:iam::123456789012:role/certflow",
                "externalId", "fake-external-id"));
        VALID.putAll(Map.of(
                "host", "web1.example.com",
                "port", "2222",
                "username", "deploy",
                "hostKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINfk1T2Td7veAVFXgxoRNUrhhspyxhz+RM0BNa0MEurK",
                "privateKey", sshPrivateKey(),
                "passphrase", "fake-passphrase",
                "apiServer", "https://10.0.0.1:6443",
                "caCertificate", TestCertificates.leaf(TestCertificates.randomSerial(), "kubernetes").chainPem(),
                "namespace", "shop",
                "token", "fake.kubernetes.token"));
        VALID.putAll(Map.of(
                "storePassword", "fake-store-password",
                "keyPassword", "fake-key-password",
                "secret", "fake-webhook-signing-secret",
                "configPath", dir.resolve("nginx.conf").toString(),
                "binary", "nginx",
                "prefix", dir.toString(),
                "adminSocket", dir.resolve("admin.sock").toString(),
                "tlsAddress", "127.0.0.1:8443",
                "endpoint", "http://127.0.0.1:9"));
    }

    @Test
    void everyTargetThatTakesACredentialDeclaresItsFormAndTheOthersDeclareNone() {
        for (DeploymentTarget target : targets(false)) {
            if (target.needsCredential() || target.discovers()) {
                assertThat(target.credentialFields()).as(target.type()).isNotEmpty()
                        .anyMatch(CredentialField::required);
            } else {
                assertThat(target.credentialFields()).as(target.type()).isEmpty();
            }
            assertThat(target.credentialFields()).extracting(CredentialField::name).as(target.type())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void theDeclaredRequiredFieldsPassTheCheckAndEachLeftOutFailsNamingIt() {
        for (DeploymentTarget target : all()) {
            List<CredentialField> fields = target.credentialFields();
            List<CredentialField> required = fields.stream().filter(CredentialField::required).toList();

            assertThatCode(() -> target.validateCredential(access(required))).as(target.type() + ": required fields only")
                    .doesNotThrowAnyException();
            assertThatCode(() -> target.validateCredential(access(fields))).as(target.type() + ": every declared field")
                    .doesNotThrowAnyException();
            for (CredentialField missing : required) {
                List<CredentialField> without = required.stream().filter(f -> f != missing).toList();
                assertThatThrownBy(() -> target.validateCredential(access(without)))
                        .as(target.type() + " without " + missing.name())
                        .isInstanceOf(InvalidTargetConfigException.class)
                        .hasMessageContaining("'" + missing.name() + "'");
            }
        }
    }

    @Test
    void aNameTheFormDoesNotDeclareIsRefusedAsSettingAndAsSecret() {
        for (DeploymentTarget target : all()) {
            List<CredentialField> required = target.credentialFields().stream().filter(CredentialField::required).toList();
            for (boolean secret : List.of(false, true)) {
                TargetAccess access = access(required);
                Map<String, String> settings = new HashMap<>(access.settings());
                Map<String, String> secrets = new HashMap<>(access.secrets());
                (secret ? secrets : settings).put("undeclared", "x");
                assertThatThrownBy(() -> target.validateCredential(new TargetAccess("tcred_test", settings, secrets)))
                        .as(target.type() + (secret ? " secret" : " setting"))
                        .isInstanceOf(InvalidTargetConfigException.class).hasMessageContaining("undeclared");
            }
        }
    }

    @Test
    void aDeclaredSecretPassedAsAPlainSettingIsRefused() {
        for (DeploymentTarget target : all()) {
            List<CredentialField> required = target.credentialFields().stream().filter(CredentialField::required).toList();
            for (CredentialField field : required.stream().filter(CredentialField::secret).toList()) {
                Map<String, String> settings = new LinkedHashMap<>(access(required).settings());
                Map<String, String> secrets = new LinkedHashMap<>(access(required).secrets());
                settings.put(field.name(), secrets.remove(field.name()));
                assertThatThrownBy(() -> target.validateCredential(new TargetAccess("tcred_test", settings, secrets)))
                        .as(target.type() + ": " + field.name() + " as a setting")
                        .isInstanceOf(InvalidTargetConfigException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(VALID.get(field.name())));
            }
        }
    }

    @Test
    void theTestEndpointIsOnlyOfferedWhereThisInstallationAcceptsIt() {
        for (DeploymentTarget target : targets(false)) {
            assertThat(target.credentialFields()).extracting(CredentialField::name).as(target.type())
                    .doesNotContain("endpoint");
        }
        assertThat(targets(true).stream().filter(DeploymentTarget::needsCredential)
                .filter(t -> t.credentialFields().stream().anyMatch(f -> f.name().equals("endpoint"))).count())
                .as("AWS and Alibaba Cloud targets with custom endpoints").isEqualTo(9);
    }

    private static List<DeploymentTarget> all() {
        List<DeploymentTarget> all = new java.util.ArrayList<>(targets(false));
        all.addAll(targets(true));
        return all;
    }

    private static TargetAccess access(List<CredentialField> fields) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        for (CredentialField field : fields) {
            String value = VALID.get(field.name());
            if (value == null) {
                fail("no valid test value for declared field '" + field.name() + "'");
            }
            (field.secret() ? secrets : settings).put(field.name(), value);
        }
        return new TargetAccess("tcred_test", settings, secrets);
    }

    /** One target of every type, as the service wires them (custom endpoints as given). */
    private static List<DeploymentTarget> targets(boolean customEndpoints) {
        ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(1));
        AlibabaProperties alibaba = customEndpoints
                ? new AlibabaProperties(true, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(600), Duration.ofMillis(100), 2)
                : AlibabaProperties.defaults();
        AlibabaClients clients = new AlibabaClients(alibaba);
        AwsTargetProperties aws = new AwsTargetProperties(customEndpoints, Duration.ofSeconds(5), 3, null);
        AcmCertificates acm = new AcmCertificates(null, () -> 2);
        return List.of(
                new NginxTarget(reader, new CommandRunner(), NginxTarget.Settings.defaults()),
                new HaproxyTarget(reader, HaproxyTarget.Settings.defaults()),
                new SshTarget(reader, SshTarget.Settings.defaults()),
                new KubernetesTarget(KubernetesTarget.Settings.defaults()),
                new KeystoreTarget(reader, new CommandRunner(), new KeystoreTarget.Settings(Duration.ofSeconds(10),
                        Duration.ofSeconds(1), Duration.ofMillis(50), List.of(), List.of())),
                new WebhookTarget(reader, WebhookTarget.httpClient(Duration.ofSeconds(1)),
                        new WebhookTarget.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50), List.of()),
                        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)),
                new AlibabaCdnTarget(clients, alibaba, null, 2),
                new AlibabaDcdnTarget(clients, alibaba, null, 2),
                new AlibabaAlbTarget(clients, alibaba, null, 2),
                new AlibabaSlbTarget(clients, alibaba, null, 2),
                new AlibabaOssTarget(clients, alibaba, null, 2),
                new AlibabaWafTarget(clients, alibaba, null, 2),
                new CloudFrontTarget(aws, acm),
                new AcmCertificateTarget(aws, acm, null),
                new ElbListenerTarget(aws, acm));
    }

    private static String sshPrivateKey() throws Exception {
        KeyPair pair = KeyPair.genKeyPair(new JSch(), KeyPair.ECDSA, 256);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pair.writePrivateKey(out);
        pair.dispose();
        return out.toString(StandardCharsets.US_ASCII);
    }
}
