package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the keystore adapter writes, read back with the JDK's {@link KeyStore} as a Java server would: both
 * formats, other entries kept, a separate key password, refusals that leave the file alone, and settings and
 * credentials checked all at once.
 */
class KeystoreTargetTest {

    private static final String NAME = "shop.example.test";
    private static final String STORE_PASSWORD = "Store-Secret-4711";
    private static final String KEY_PASSWORD = "Key-Secret-0815";

    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private Path dir;
    private KeystoreTarget target;

    @BeforeEach
    void setUp(@TempDir Path temp) throws Exception {
        dir = Files.createDirectories(temp.resolve("keystores"));
        target = new KeystoreTarget(new ServedCertificateReader(Duration.ofSeconds(1)), new CommandRunner(),
                new KeystoreTarget.Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(50),
                        List.of("true", "false"), List.of(dir)));
    }

    private static TargetResource resource(Map<String, String> config, Map<String, String> secrets) {
        return new TargetResource("r1", "tomcat", "keystore", config, List.of(), new TargetAccess("c1", Map.of(), secrets));
    }

    private static Map<String, String> config(Path path, KeystoreFormat format) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("path", path.toString());
        config.put("format", format.name());
        return config;
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    private static Certificate[] chain(TestCertificates.Issued issued) {
        return PemCertificates.parseChain(issued.chainPem()).toArray(Certificate[]::new);
    }

    private static KeyStore load(Path file, KeystoreFormat format) throws Exception {
        KeyStore keyStore = KeyStore.getInstance(format.name());
        try (InputStream in = Files.newInputStream(file)) {
            keyStore.load(in, STORE_PASSWORD.toCharArray());
        }
        return keyStore;
    }

    private static void store(KeyStore keyStore, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    @ParameterizedTest
    @EnumSource(KeystoreFormat.class)
    void writesTheChainAndKeyAtTheAliasAsTheJdkReadsThem(KeystoreFormat format) throws Exception {
        Path file = dir.resolve("server." + format.name().toLowerCase());

        DeploymentOutcome outcome = target.deploy(resource(config(file, format), Map.of("storePassword", STORE_PASSWORD)),
                bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(outcome.previous().present()).isFalse();
        assertThat(KeystoreFormat.detect(Files.readAllBytes(file))).contains(format);
        KeyStore written = load(file, format);
        assertThat(Collections.list(written.aliases())).containsExactly("certflow");
        assertThat(written.isKeyEntry("certflow")).isTrue();
        assertThat(written.getKey("certflow", STORE_PASSWORD.toCharArray()).getEncoded())
                .isEqualTo(next.keyPair().getPrivate().getEncoded());
        assertThat(written.getCertificateChain("certflow")).containsExactly(chain(next));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(target.readBack(resource(config(file, format), Map.of("storePassword", STORE_PASSWORD)))
                .serialNumber()).contains(next.serialHex());
    }

    @Test
    void replacesOnlyItsAliasWithItsOwnKeyPasswordAndRestoresThePreviousEntry() throws Exception {
        Path file = dir.resolve("server.p12");
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), "other.example.test");
        KeyStore existing = KeyStore.getInstance("PKCS12");
        existing.load(null, null);
        existing.setKeyEntry("other", other.keyPair().getPrivate(), STORE_PASSWORD.toCharArray(), chain(other));
        existing.setKeyEntry("web", initial.keyPair().getPrivate(), KEY_PASSWORD.toCharArray(), chain(initial));
        store(existing, file);
        Map<String, String> config = config(file, KeystoreFormat.PKCS12);
        config.put("alias", "web");
        TargetResource resource = resource(config, Map.of("storePassword", STORE_PASSWORD, "keyPassword", KEY_PASSWORD));

        DeploymentOutcome outcome = target.deploy(resource, bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        KeyStore written = load(file, KeystoreFormat.PKCS12);
        assertThat(Collections.list(written.aliases())).containsExactlyInAnyOrder("other", "web");
        assertThat(written.getKey("web", KEY_PASSWORD.toCharArray()).getEncoded())
                .isEqualTo(next.keyPair().getPrivate().getEncoded());
        assertThat(written.getKey("other", STORE_PASSWORD.toCharArray()).getEncoded())
                .isEqualTo(other.keyPair().getPrivate().getEncoded());
        assertThat(written.getCertificateChain("other")).containsExactly(chain(other));
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
        assertThat(outcome.previous().toString()).doesNotContain("PRIVATE KEY");

        DeploymentOutcome restored = target.restore(resource, outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        KeyStore back = load(file, KeystoreFormat.PKCS12);
        assertThat(back.getKey("web", KEY_PASSWORD.toCharArray()).getEncoded())
                .isEqualTo(initial.keyPair().getPrivate().getEncoded());
        assertThat(back.getCertificateChain("web")).containsExactly(chain(initial));
        assertThat(Collections.list(back.aliases())).containsExactlyInAnyOrder("other", "web");
    }

    @Test
    void aFailingReloadWithoutTlsAddressPutsTheFileBackByteForByte() throws Exception {
        Path file = dir.resolve("server.jks");
        KeyStore existing = KeyStore.getInstance("JKS");
        existing.load(null, null);
        existing.setKeyEntry("certflow", initial.keyPair().getPrivate(), STORE_PASSWORD.toCharArray(), chain(initial));
        store(existing, file);
        byte[] before = Files.readAllBytes(file);
        Map<String, String> config = config(file, KeystoreFormat.JKS);
        config.put("reloadCommand", "false");

        DeploymentOutcome outcome = target.deploy(resource(config, Map.of("storePassword", STORE_PASSWORD)), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void restoringWhenThereWasNothingBeforeRemovesTheEntryAndTheEmptyFile() throws Exception {
        Path file = dir.resolve("server.p12");
        TargetResource resource = resource(config(file, KeystoreFormat.PKCS12), Map.of("storePassword", STORE_PASSWORD));
        DeploymentOutcome outcome = target.deploy(resource, bundle(next));
        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();

        DeploymentOutcome restored = target.restore(resource, outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileOfTheOtherFormatIsLeftAlone() throws Exception {
        Path file = dir.resolve("server.keystore");
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry("certflow", initial.keyPair().getPrivate(), STORE_PASSWORD.toCharArray(), chain(initial));
        store(jks, file);
        byte[] before = Files.readAllBytes(file);

        DeploymentOutcome outcome = target.deploy(resource(config(file, KeystoreFormat.PKCS12),
                Map.of("storePassword", STORE_PASSWORD)), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("nothing deployed").contains("is a JKS keystore but 'format' is PKCS12");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aTrustedCertificateAtTheAliasIsNotReplaced() throws Exception {
        Path file = dir.resolve("server.p12");
        KeyStore existing = KeyStore.getInstance("PKCS12");
        existing.load(null, null);
        existing.setCertificateEntry("certflow", chain(initial)[1]);
        store(existing, file);
        byte[] before = Files.readAllBytes(file);

        DeploymentOutcome outcome = target.deploy(resource(config(file, KeystoreFormat.PKCS12),
                Map.of("storePassword", STORE_PASSWORD)), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("is not a private key entry");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedBeforeAnythingIsWritten() {
        Path file = dir.resolve("server.p12");
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(config(file, KeystoreFormat.PKCS12),
                Map.of("storePassword", STORE_PASSWORD)), new CertificateBundle(next.chainPem(), other.keyPem()));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).isEqualTo("nothing deployed: the private key does not belong to the certificate");
        assertThat(file).doesNotExist();
    }

    @Test
    void namesEveryBadSettingAtOnce(@TempDir Path elsewhere) {
        Map<String, String> config = new HashMap<>();
        config.put("path", elsewhere.resolve("server.p12").toString());
        config.put("format", "PEM");
        config.put("alias", "my alias");
        config.put("reloadCommand", "rm -rf /");
        config.put("tlsAddress", "127.0.0.1:8443");
        config.put("password", "x");

        assertThatThrownBy(() -> target.validate(config))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "unknown setting 'password' (known: alias, format, path, reloadCommand, serverName, tlsAddress)",
                        "'path' must be in one of the allowed directories [" + dir + "]",
                        "'format' must be PKCS12 or JKS",
                        "'alias' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
                        "'reloadCommand' must start with one of the allowed executables [true, false]",
                        "'serverName' is required (the host name clients ask the Java server for)"));
    }

    @Test
    void needsACredentialWithAStorePasswordAndNamesNoSecretValue() {
        assertThat(target.needsCredential()).isTrue();
        target.validateCredential(new TargetAccess("c1", Map.of(), Map.of("storePassword", STORE_PASSWORD)));

        assertThatThrownBy(() -> target.validateCredential(new TargetAccess("c1", Map.of("host", "tomcat-1"),
                Map.of("password", STORE_PASSWORD))))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "the secret 'storePassword' is required (the keystore's password)",
                            "unknown secret 'password' (known: storePassword, keyPassword)",
                            "unknown setting 'host' (a keystore credential has secrets only)");
                    assertThat(e.getMessage()).doesNotContain(STORE_PASSWORD);
                });

        DeploymentOutcome withoutCredential = target.deploy(new TargetResource("r1", "tomcat", "keystore",
                config(dir.resolve("server.p12"), KeystoreFormat.PKCS12)), bundle(next));
        assertThat(withoutCredential.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(withoutCredential.retryable()).isFalse();
        assertThat(withoutCredential.message()).contains("needs a credential with the secret 'storePassword'");
        assertThat(new KeystorePasswords(STORE_PASSWORD.toCharArray(), KEY_PASSWORD.toCharArray()).toString())
                .doesNotContain(STORE_PASSWORD).doesNotContain(KEY_PASSWORD);
        assertThat(Arrays.asList(dir.toFile().list())).isEmpty();
    }
}
