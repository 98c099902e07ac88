package io.certflow.deployment.target.ssh;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.testing.TestNginx;
import io.certflow.deployment.tls.ServedCertificateReader;
import io.certflow.devstack.Binaries;
import io.certflow.devstack.NginxProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SSH target against a real OpenSSH sshd on loopback, whose "host" serves TLS with the real nginx of the
 * nginx tests: the target uploads over SFTP, reloads nginx through the reload command, and the proof is the
 * serial nginx serves, read back over TLS with SNI.
 */
class SshTargetIT {

    private static final String NAME = TestNginx.SERVER_NAME;

    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    /** Every message an outcome or exception showed, checked for secrets after each test. */
    private final List<String> shown = new ArrayList<>();

    private Path dir;
    private NginxProcess nginx;
    private TestSshd sshd;
    private SshTarget target;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(Binaries.isAvailable(Binaries.NGINX), "nginx is not installed");
        assumeTrue(TestSshd.available(), "openssh-server is not installed");
        this.dir = dir;
        nginx = TestNginx.start(dir.resolve("nginx"), initial);
        sshd = TestSshd.start(dir.resolve("sshd"));
        target = new SshTarget(new ServedCertificateReader(Duration.ofSeconds(2)),
                new SshTarget.Settings(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(5),
                        Duration.ofMillis(100), discoveryCommand()));
    }

    @AfterEach
    void stop() throws Exception {
        if (sshd != null) {
            sshd.stop();
        }
        if (nginx != null) {
            nginx.stop();
        }
        String key = sshd == null ? "" : sshd.privateKey();
        for (String message : shown) {
            assertThat(message).doesNotContain(TestSshd.PASSPHRASE).doesNotContain("PRIVATE KEY")
                    .doesNotContain(keyLine(key)).doesNotContain(keyLine(next.keyPem()))
                    .doesNotContain(keyLine(initial.keyPem()));
        }
    }

    @Test
    void uploadsTheFilesReloadsAndProvesTheServedSerial() throws Exception {
        DeploymentOutcome outcome = deploy(resource(config()), next);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(target.readBack(resource(config())).serialNumber()).contains(next.serialHex());
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(next.chainPem());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(next.keyPem());
        assertThat(mode(nginx.keyPath())).isEqualTo("rw-------");
        assertThat(mode(nginx.certificatePath())).isEqualTo("rw-r--r--");
        assertThat(filesBeside(nginx.keyPath())).as("no temp file left").containsExactlyInAnyOrder(
                nginx.certificatePath().getFileName().toString(), nginx.keyPath().getFileName().toString());

        DeploymentOutcome restored = target.restore(resource(config()), outcome.previous());
        shown.add(restored.message());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(target.readBack(resource(config())).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void aFailingReloadCommandPutsThePreviousFilesBackAndRollsBack() throws Exception {
        // the key does not match the certificate: nginx -s reload refuses the configuration and exits 1
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = deploy(resource(config()), new CertificateBundle(next.chainPem(), other.keyPem()));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(outcome.message()).contains("the reload command failed (exit 1: nginx: [emerg]")
                .contains("key values mismatch").contains("previous certificate " + initial.serialHex() + " restored")
                .contains("the host serves " + initial.serialHex() + " again");
        assertThat(target.readBack(resource(config())).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void theOutcomeQuotesTheFirstLinesOfTheCommandsStderrWithoutSecrets() throws Exception {
        Map<String, String> config = config();
        config.put("reloadCommand", "echo \"unlocking with " + TestSshd.PASSPHRASE + "\" >&2; "
                + "printf 'line %s\\n' 2 3 4 5 6 7 >&2; exit 3");

        DeploymentOutcome outcome = deploy(resource(config), next);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("exit 3: unlocking with <redacted> | line 2 | line 3 | line 4 | line 5)")
                .doesNotContain("line 6").contains("the reload failed again (exit 3");
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void aReloadThatTakesNoEffectIsCaughtByTheReadBackAndRolledBack() throws Exception {
        Map<String, String> config = config();
        config.put("reloadCommand", "true");

        DeploymentOutcome outcome = deploy(resource(config), next);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("after the reload the host serves " + initial.serialHex()
                + " instead of " + next.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void whereThereWereNoFilesBeforeAFailedDeploymentRemovesTheNewOnes() throws Exception {
        Map<String, String> config = config();
        config.put("certificatePath", nginx.certificatePath().resolveSibling("new.crt").toString());
        config.put("keyPath", nginx.certificatePath().resolveSibling("new.key").toString());
        config.put("reloadCommand", "true");

        DeploymentOutcome outcome = deploy(resource(config), next);

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("after the reload the host serves " + initial.serialHex())
                .contains("there was no previous certificate: the new files were removed");
        assertThat(outcome.previous().present()).isFalse();
        assertThat(filesBeside(nginx.keyPath())).containsExactlyInAnyOrder(
                nginx.certificatePath().getFileName().toString(), nginx.keyPath().getFileName().toString());
    }

    @Test
    void aServerWithAnotherHostKeyIsRefusedBeforeAnythingIsWritten() throws Exception {
        TestSshd.keygen(dir.resolve("impostor"), "ed25519", "", "impostor");
        String pinned = Files.readString(dir.resolve("impostor.pub"));
        FileTime before = Files.getLastModifiedTime(nginx.keyPath());

        DeploymentOutcome outcome = deploy(resource(config(), sshd.access(pinned, sshd.privateKey(),
                TestSshd.PASSPHRASE)), next);

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("host key of 127.0.0.1:" + sshd.port() + " is not the pinned one")
                .contains("it presented ssh-ed25519 SHA256:").contains("nothing was read or written");
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
        assertThat(Files.getLastModifiedTime(nginx.keyPath())).isEqualTo(before);
        assertThat(filesBeside(nginx.keyPath())).hasSize(2);
        assertThat(Files.readString(sshd.log())).doesNotContain("Accepted publickey");
        assertThat(target.readBack(resource(config())).serialNumber()).contains(initial.serialHex());
    }

    @Test
    void aHostKeyOfAnotherTypeIsRefusedToo() throws Exception {
        TestSshd.keygen(dir.resolve("ecdsa"), "ecdsa", "", "other-type");
        String pinned = "[127.0.0.1]:" + sshd.port() + " " + Files.readString(dir.resolve("ecdsa.pub"));

        DeploymentOutcome outcome = deploy(resource(config(), sshd.access(pinned, sshd.privateKey(),
                TestSshd.PASSPHRASE)), next);

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("has no host key of the pinned type").contains("ecdsa-sha2-nistp256");
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void aKeyTheServerDoesNotAuthorizeIsRefusedAndNotRetried() throws Exception {
        TestSshd.keygen(dir.resolve("stranger"), "ed25519", "", "stranger");

        DeploymentOutcome outcome = deploy(resource(config(), sshd.access(sshd.knownHostsLine(),
                Files.readString(dir.resolve("stranger")), null)), next);

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("refused the credential's key for user " + System.getProperty("user.name"));
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void aStoppedSshdGivesARetryableOutcomeAndTheNextTryLands() throws Exception {
        sshd.stop();

        DeploymentOutcome outcome = deploy(resource(config()), next);

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.message()).startsWith("nothing deployed: cannot reach 127.0.0.1:" + sshd.port());
        assertThat(target.readBack(resource(config())).serialNumber()).contains(initial.serialHex());
        assertThatThrownBy(() -> target.discover(sshd.access()))
                .isInstanceOfSatisfying(TargetException.class, e -> {
                    shown.add(e.getMessage());
                    assertThat(e.retryable()).isTrue();
                });

        sshd.run();
        DeploymentOutcome retried = deploy(resource(config()), next);
        assertThat(retried.succeeded()).as(retried.message()).isTrue();
    }

    @Test
    void aHostThatNeverAnswersTimesOutRetryably() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> settings = new LinkedHashMap<>(sshd.access().settings());
            settings.put("port", String.valueOf(silent.getLocalPort()));
            TargetAccess access = new TargetAccess("cred-1", settings, sshd.access().secrets());
            SshTarget impatient = new SshTarget(new ServedCertificateReader(Duration.ofSeconds(2)),
                    new SshTarget.Settings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1),
                            Duration.ofMillis(100), "nginx -T"));

            long started = System.nanoTime();
            DeploymentOutcome outcome = impatient.deploy(resource(config(), access),
                    new CertificateBundle(next.chainPem(), next.keyPem()));
            shown.add(outcome.message());

            assertThat(outcome.retryable()).as(outcome.message()).isTrue();
            assertThat(outcome.message()).startsWith("nothing deployed: cannot reach 127.0.0.1:" + silent.getLocalPort());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void discoversTheHostsNginxServerBlocksAndDeploysToOne() throws Exception {
        List<DiscoveredResource> found = target.discover(sshd.access());

        String port = nginx.tlsAddress().substring(nginx.tlsAddress().lastIndexOf(':') + 1);
        assertThat(found).hasSize(1);
        DiscoveredResource site = found.get(0);
        assertThat(site.externalId()).isEqualTo(NAME + ":" + port);
        assertThat(site.domains()).containsExactly(NAME);
        assertThat(site.config()).containsEntry("certificatePath", nginx.certificatePath().toString())
                .containsEntry("keyPath", nginx.keyPath().toString())
                .containsEntry("tlsAddress", "127.0.0.1:" + port)
                .containsEntry("serverName", NAME)
                .containsEntry("reloadCommand", nginxCommand("-s reload"));

        DeploymentOutcome outcome = deploy(resource(new LinkedHashMap<>(site.config())), next);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(target.readBack(resource(config())).serialNumber()).contains(next.serialHex());
    }

    @Test
    void logsInWithAPemKeyToo() throws Exception {
        TestSshd.keygen(dir.resolve("pem"), "rsa", "", "pem-user", "-b", "3072", "-m", "PEM");
        sshd.authorize(Files.readString(dir.resolve("pem.pub")));
        String pem = Files.readString(dir.resolve("pem"));
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        DeploymentOutcome outcome = deploy(resource(config(), sshd.access(sshd.knownHostsLine(), pem, null)), next);

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(target.readBack(resource(config())).serialNumber()).contains(next.serialHex());
    }

    private DeploymentOutcome deploy(TargetResource resource, TestCertificates.Issued issued) {
        return deploy(resource, new CertificateBundle(issued.chainPem(), issued.keyPem()));
    }

    private DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle) {
        DeploymentOutcome outcome = target.deploy(resource, bundle);
        shown.add(outcome.message());
        shown.add(outcome.toString());
        return outcome;
    }

    private Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("certificatePath", nginx.certificatePath().toString());
        config.put("keyPath", nginx.keyPath().toString());
        config.put("reloadCommand", nginx.reloadCommand());
        config.put("tlsAddress", nginx.tlsAddress());
        config.put("serverName", nginx.serverName());
        return config;
    }

    private TargetResource resource(Map<String, String> config) throws IOException {
        return resource(config, sshd.access());
    }

    private static TargetResource resource(Map<String, String> config, TargetAccess access) {
        return new TargetResource("r1", "web1", SshTarget.TYPE, config, List.of(), access);
    }

    private String discoveryCommand() {
        return nginxCommand("-T");
    }

    /** nginx on the test nginx's configuration, with {@code action}. */
    private String nginxCommand(String action) {
        return TestNginx.nginxExecutable() + " -p " + nginx.prefix() + "/ -c " + nginx.confFile() + " -e "
                + nginx.errorLog() + " " + action;
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static List<String> filesBeside(Path file) {
        return List.of(file.getParent().toFile().list());
    }

    /** The longest line of a key: present in any message that leaked it. */
    private static String keyLine(String pem) {
        return pem.lines().filter(l -> !l.startsWith("-----")).max(java.util.Comparator.comparingInt(String::length))
                .orElse("no key");
    }
}
