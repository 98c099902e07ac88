package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.testing.TestNginx;
import io.certflow.deployment.tls.ServedCertificateReader;
import io.certflow.devstack.Binaries;
import io.certflow.devstack.NginxProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The nginx adapter against a real nginx 1.22: deploy, read back, and restore after a bad certificate. */
class NginxTargetIT {

    private static final String NAME = TestNginx.SERVER_NAME;

    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private NginxProcess nginx;
    private NginxTarget target;

    @BeforeEach
    void startNginx(@TempDir Path dir) throws Exception {
        assumeTrue(Binaries.isAvailable(Binaries.NGINX), "nginx is not installed");
        nginx = TestNginx.start(dir, initial);
        target = new NginxTarget(new ServedCertificateReader(Duration.ofSeconds(2)), new CommandRunner(),
                new NginxTarget.Settings(Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(100),
                        List.of(TestNginx.nginxExecutable()), List.of(nginx.keyPath().getParent())));
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) {
            nginx.stop();
        }
    }

    private TargetResource resource(boolean withTest) {
        return new TargetResource("r1", "test-nginx", "nginx", TestNginx.resourceConfig(nginx, withTest));
    }

    @Test
    void readsBackWhatNginxServes() {
        ReadBack served = target.readBack(resource(true));

        assertThat(served.serialNumber()).contains(initial.serialHex());
        assertThat(served.served().dnsNames()).containsExactly(NAME);
        assertThat(served.served().notAfter()).isEqualTo(initial.certificate().getNotAfter().toInstant());
    }

    @Test
    void deploysANewCertificateAndProvesNginxServesIt() throws Exception {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(true), new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(target.readBack(resource(true)).serialNumber()).contains(next.serialHex());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nginx.keyPath()))).isEqualTo("rw-------");
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
        assertThat(nginx.keyPath().getParent().toFile().list()).containsExactlyInAnyOrder(
                nginx.certificatePath().getFileName().toString(), nginx.keyPath().getFileName().toString());

        // a second deployment right after the first (nginx still swapping workers) also lands
        TestCertificates.Issued third = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        DeploymentOutcome again = target.deploy(resource(true), new CertificateBundle(third.chainPem(), third.keyPem()));
        assertThat(again.succeeded()).as(again.message()).isTrue();
        assertThat(target.readBack(resource(true)).serialNumber()).contains(third.serialHex());

        // and restore() puts the one before back
        DeploymentOutcome restored = target.restore(resource(true), again.previous());
        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(target.readBack(resource(true)).serialNumber()).contains(next.serialHex());
    }

    @Test
    void aGarbageKeyFailsTheConfigTestAndNginxKeepsServingThePreviousCertificate() throws Exception {
        String before = Files.readString(nginx.keyPath());
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(true),
                new CertificateBundle(next.chainPem(), TestCertificates.garbageKeyPem()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(outcome.message()).contains("configuration test failed").contains("restored")
                .doesNotContain("PRIVATE KEY");
        assertThat(target.readBack(resource(true)).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(before);
    }

    @Test
    void withoutAConfigTestAMismatchedKeyFailsTheReloadAndIsRolledBack() throws Exception {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(false), new CertificateBundle(next.chainPem(), other.keyPem()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("nginx reload failed").contains("key values mismatch").contains("restored");
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(target.readBack(resource(false)).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());

        // nginx still takes a good certificate afterwards
        DeploymentOutcome good = target.deploy(resource(false), new CertificateBundle(next.chainPem(), next.keyPem()));
        assertThat(good.succeeded()).as(good.message()).isTrue();
    }

    @Test
    void aReloadThatDoesNotTakeEffectIsCaughtByTheReadBackAndRolledBack() throws Exception {
        // a "reload" that exits 0 but reloads nothing (think: a wrong pid file): only the read-back tells
        var config = new java.util.LinkedHashMap<>(TestNginx.resourceConfig(nginx, false));
        config.put("reloadCommand", TestNginx.testCommand(nginx));
        TargetResource stale = new TargetResource("r1", "test-nginx", "nginx", config);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(stale, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("serves " + initial.serialHex() + " instead of " + next.serialHex())
                .contains("restored");
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void aReloadCommandThatFailsRestoresTheFiles() throws Exception {
        var config = new java.util.LinkedHashMap<>(TestNginx.resourceConfig(nginx, false));
        config.put("reloadCommand", TestNginx.nginxExecutable() + " -p /nonexistent -c /nonexistent/nginx.conf -s reload");
        TargetResource broken = new TargetResource("r1", "test-nginx", "nginx", config);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(broken, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.message()).contains("nginx reload failed").contains("restored");
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
        assertThat(target.readBack(resource(false)).serialNumber()).contains(initial.serialHex());
    }
}
