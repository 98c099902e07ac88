package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keystore adapter against a real Java TLS server that loads its keystore file again when its reload
 * command touches a trigger file: the served serial proves a deployment, and a server that keeps serving the old
 * certificate, or a reload that fails, gets the previous keystore back.
 */
class KeystoreTargetIT {

    private static final String NAME = "shop.example.test";
    private static final String PASSWORD = "Store-Secret-4711";

    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
    private Path dir;
    private Path keystore;
    private Path trigger;
    private JavaTlsServer server;
    private KeystoreTarget target;

    @BeforeEach
    void setUp(@TempDir Path temp) throws Exception {
        dir = Files.createDirectories(temp.resolve("keystores"));
        trigger = dir.resolve("reload.trigger");
        target = new KeystoreTarget(reader, new CommandRunner(), new KeystoreTarget.Settings(Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofMillis(100), List.of("touch", "true", "false"), List.of(dir)));
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Writes the initial keystore (entry {@code alias}) and starts the server on it. */
    private void startServer(KeystoreFormat format, String alias) throws Exception {
        keystore = dir.resolve(format == KeystoreFormat.JKS ? "server.jks" : "server.p12");
        KeyStore initialStore = KeyStore.getInstance(format.name());
        initialStore.load(null, null);
        initialStore.setKeyEntry(alias, initial.keyPair().getPrivate(), PASSWORD.toCharArray(),
                chainOf(initial));
        try (var out = Files.newOutputStream(keystore)) {
            initialStore.store(out, PASSWORD.toCharArray());
        }
        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
        server = JavaTlsServer.watching(keystore, format.name(), PASSWORD.toCharArray(), alias, trigger);
    }

    private static Certificate[] chainOf(TestCertificates.Issued issued) {
        return PemCertificates.parseChain(issued.chainPem()).toArray(Certificate[]::new);
    }

    private Map<String, String> config(KeystoreFormat format, String reloadCommand) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("path", keystore.toString());
        config.put("format", format.name());
        config.put("reloadCommand", reloadCommand);
        config.put("tlsAddress", server.address());
        config.put("serverName", NAME);
        return config;
    }

    private static TargetResource resource(Map<String, String> config, String storePassword) {
        return new TargetResource("r1", "tomcat", "keystore", config, List.of(),
                new TargetAccess("c1", Map.of(), Map.of("storePassword", storePassword)));
    }

    private TargetResource resource(KeystoreFormat format) {
        return resource(config(format, "touch " + trigger), PASSWORD);
    }

    private CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    private String served() {
        return reader.read("127.0.0.1", Integer.parseInt(server.address().split(":")[1]), NAME).serialNumber().orElse(null);
    }

    @ParameterizedTest
    @EnumSource(KeystoreFormat.class)
    void deploysAndProvesThatTheJavaServerServesTheNewCertificate(KeystoreFormat format) throws Exception {
        startServer(format, "certflow");
        assertThat(target.readBack(resource(format)).serialNumber()).contains(initial.serialHex());

        DeploymentOutcome outcome = target.deploy(resource(format), bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(served()).isEqualTo(next.serialHex());
        assertThat(server.reloadFailures()).isEmpty();
        KeyStore written = KeyStore.getInstance(format.name());
        try (InputStream in = Files.newInputStream(keystore)) {
            written.load(in, PASSWORD.toCharArray());
        }
        assertThat(written.getKey("certflow", PASSWORD.toCharArray()).getEncoded())
                .isEqualTo(next.keyPair().getPrivate().getEncoded());
        assertThat(written.getCertificateChain("certflow")).hasSize(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder(keystore.getFileName().toString(), "reload.trigger");

        DeploymentOutcome restored = target.restore(resource(format), outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    @Test
    void aReloadThatDoesNotTakeEffectIsCaughtByTheHandshakeAndRolledBack() throws Exception {
        startServer(KeystoreFormat.PKCS12, "certflow");
        byte[] before = Files.readAllBytes(keystore);

        // "true" exits 0 and reloads nothing (think: a reload aimed at another instance): only the read-back tells
        DeploymentOutcome outcome = target.deploy(resource(config(KeystoreFormat.PKCS12, "true"), PASSWORD), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(outcome.message()).contains("serves " + initial.serialHex() + " instead of " + next.serialHex())
                .contains("previous keystore file was put back");
        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    @Test
    void aFailingReloadPutsThePreviousKeystoreBack() throws Exception {
        startServer(KeystoreFormat.PKCS12, "certflow");
        byte[] before = Files.readAllBytes(keystore);

        DeploymentOutcome outcome = target.deploy(resource(config(KeystoreFormat.PKCS12, "false"), PASSWORD), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("the reload command failed (exit 1)");
        assertThat(outcome.retryable()).isFalse();
        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    @Test
    void aServerConfiguredForAnotherAliasKeepsServingTheOldCertificateAndTheFileIsPutBack() throws Exception {
        // the server loads the alias "tomcat"; the resource names "certflow", which the file did not have
        startServer(KeystoreFormat.PKCS12, "tomcat");
        byte[] before = Files.readAllBytes(keystore);

        DeploymentOutcome outcome = target.deploy(resource(KeystoreFormat.PKCS12), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(outcome.message()).contains("serves " + initial.serialHex() + " instead of " + next.serialHex());
        assertThat(server.reloadFailures()).isEmpty();
        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    @Test
    void aWrongStorePasswordChangesNothingAndIsNeverShown() throws Exception {
        startServer(KeystoreFormat.PKCS12, "certflow");
        byte[] before = Files.readAllBytes(keystore);
        String wrong = "Not-The-Password-9183";

        DeploymentOutcome outcome = target.deploy(resource(config(KeystoreFormat.PKCS12, "touch " + trigger), wrong),
                bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("nothing deployed")
                .contains("storePassword is not this keystore's password")
                .doesNotContain(wrong).doesNotContain(PASSWORD);
        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
        assertThat(served()).isEqualTo(initial.serialHex());
    }

    @Test
    void aServerThatIsDownIsRetryableAndNothingIsWritten() throws Exception {
        startServer(KeystoreFormat.PKCS12, "certflow");
        byte[] before = Files.readAllBytes(keystore);
        Map<String, String> config = config(KeystoreFormat.PKCS12, "touch " + trigger);
        server.close();

        DeploymentOutcome outcome = target.deploy(resource(config, PASSWORD), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).contains("nothing deployed").contains("TLS handshake with 127.0.0.1");
        assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
        server = null;
    }
}
