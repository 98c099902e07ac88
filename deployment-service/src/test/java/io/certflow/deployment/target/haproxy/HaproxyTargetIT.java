package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.TestCertificates;
import io.certflow.deployment.testing.TestHaproxy;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HAProxy adapter against a real HAProxy 2.6: runtime API deploy, read back, restore, a refused key rolled
 * back, a stopped HAProxy left alone, and discovery through the admin socket.
 */
class HaproxyTargetIT {

    private static final String NAME = TestHaproxy.SERVER_NAME;

    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private TestHaproxy haproxy;
    private HaproxyTarget target;

    @BeforeEach
    void startHaproxy(@TempDir Path dir) throws Exception {
        assumeTrue(TestHaproxy.available(), "haproxy is not installed");
        haproxy = TestHaproxy.start(dir, initial);
        target = new HaproxyTarget(new ServedCertificateReader(Duration.ofSeconds(2)),
                new HaproxyTarget.Settings(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofMillis(100),
                        List.of(dir)));
    }

    @AfterEach
    void stopHaproxy() {
        if (haproxy != null) {
            haproxy.stop();
        }
    }

    private TargetResource resource() {
        return new TargetResource("r1", "test-haproxy", "haproxy", haproxy.resourceConfig());
    }

    private String fileSerial() throws Exception {
        String file = Files.readString(haproxy.certificatePath());
        return PemCertificates.serialHex(PemCertificates.parseChain(CombinedPem.split(file).certificateChainPem()).get(0));
    }

    @Test
    void readsBackWhatHaproxyServes() {
        ReadBack served = target.readBack(resource());

        assertThat(served.serialNumber()).contains(initial.serialHex());
        assertThat(served.served().dnsNames()).containsExactly(NAME);
    }

    @Test
    void deploysOverTheRuntimeApiKeepsTheFileForRestartsAndRestores() throws Exception {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(), new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(outcome.message()).doesNotContain("PRIVATE KEY");
        assertThat(target.readBack(resource()).serialNumber()).contains(next.serialHex());
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
        assertThat(outcome.previous().toString()).doesNotContain("PRIVATE KEY");

        // the file holds the new chain and key, owner-only, and nothing else is left in its directory
        assertThat(fileSerial()).isEqualTo(next.serialHex());
        assertThat(Files.readString(haproxy.certificatePath())).contains(next.keyPem().strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(haproxy.certificatePath())))
                .isEqualTo("rw-------");
        assertThat(haproxy.certificatePath().getParent().toFile().list()).containsExactly("site.pem");

        // a restarted HAProxy loads the new certificate from the file
        haproxy.stop();
        haproxy.start();
        assertThat(target.readBack(resource()).serialNumber()).contains(next.serialHex());

        // restore() puts the previous one back, in memory and on disk
        DeploymentOutcome restored = target.restore(resource(), outcome.previous());
        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(restored.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(target.readBack(resource()).serialNumber()).contains(initial.serialHex());
        assertThat(fileSerial()).isEqualTo(initial.serialHex());
    }

    @Test
    void aMismatchedKeyIsRefusedByHaproxyWhichKeepsServingThePreviousCertificate() throws Exception {
        String before = Files.readString(haproxy.certificatePath());
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(), new CertificateBundle(next.chainPem(), other.keyPem()));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        // HAProxy 2.6 takes the payload into a transaction and refuses it at commit
        assertThat(outcome.message()).contains("HAProxy refused 'commit ssl cert")
                .contains("inconsistencies between private key and certificate")
                .contains("previous certificate file " + initial.serialHex() + " restored")
                .endsWith("HAProxy serves " + initial.serialHex())
                .doesNotContain("PRIVATE KEY").doesNotContain(other.keyPem().lines().skip(1).findFirst().orElseThrow());
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(target.readBack(resource()).serialNumber()).contains(initial.serialHex());
        assertThat(fileSerial()).isEqualTo(initial.serialHex());
        assertThat(CombinedPem.split(Files.readString(haproxy.certificatePath())))
                .isEqualTo(CombinedPem.split(before));

        // no transaction is left behind: a good certificate goes in right after
        DeploymentOutcome good = target.deploy(resource(), new CertificateBundle(next.chainPem(), next.keyPem()));
        assertThat(good.succeeded()).as(good.message()).isTrue();
        assertThat(target.readBack(resource()).serialNumber()).contains(next.serialHex());
    }

    @Test
    void anUnreachableAdminSocketIsRetryableAndNothingIsWritten() throws Exception {
        Map<String, String> config = new LinkedHashMap<>(haproxy.resourceConfig());
        config.put("adminSocket", haproxy.directory().resolve("no-such.sock").toString());
        TargetResource broken = new TargetResource("r1", "test-haproxy", "haproxy", config);
        long modified = Files.getLastModifiedTime(haproxy.certificatePath()).toMillis();
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(broken, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).startsWith("nothing deployed: cannot connect to HAProxy's admin socket");
        assertThat(fileSerial()).isEqualTo(initial.serialHex());
        assertThat(Files.getLastModifiedTime(haproxy.certificatePath()).toMillis()).isEqualTo(modified);
    }

    @Test
    void aStoppedHaproxyIsUnreachableAndNothingIsWritten() throws Exception {
        haproxy.stop();
        String before = Files.readString(haproxy.certificatePath());
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(), new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).startsWith("nothing deployed: HAProxy is down")
                .contains(haproxy.tlsAddress() + " does not accept connections");
        assertThat(Files.readString(haproxy.certificatePath())).isEqualTo(before);
    }

    @Test
    void anotherClientsOpenTransactionMakesHaproxyBusyAndNothingIsWritten() throws Exception {
        HaproxyAdminSocket admin = new HaproxyAdminSocket(Duration.ofSeconds(5));
        TestCertificates.Issued theirs = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        assertThat(admin.send(haproxy.adminSocket(), SslCertCommands.set(haproxy.certificatePath(),
                CombinedPem.join(theirs.chainPem(), theirs.keyPem())))).startsWith("Transaction created");
        String before = Files.readString(haproxy.certificatePath());
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome busy = target.deploy(resource(), new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(busy.retryable()).as(busy.message()).isTrue();
        assertThat(busy.message()).isEqualTo("nothing deployed: HAProxy is busy: another client has a certificate "
                + "transaction open on " + haproxy.certificatePath());
        assertThat(Files.readString(haproxy.certificatePath())).isEqualTo(before);
        assertThat(target.readBack(resource()).serialNumber()).contains(initial.serialHex());

        // once they are done, the deployment goes through
        admin.send(haproxy.adminSocket(), SslCertCommands.abort(haproxy.certificatePath()));
        DeploymentOutcome later = target.deploy(resource(), new CertificateBundle(next.chainPem(), next.keyPem()));
        assertThat(later.succeeded()).as(later.message()).isTrue();
    }

    @Test
    void aFileHaproxyHasNotLoadedIsRefusedBeforeAnythingIsWritten() throws Exception {
        Map<String, String> config = new LinkedHashMap<>(haproxy.resourceConfig());
        Path unknown = haproxy.certificatePath().resolveSibling("unknown.pem");
        config.put("certificatePath", unknown.toString());
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(new TargetResource("r1", "test-haproxy", "haproxy", config),
                new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).isEqualTo("nothing deployed: HAProxy has no certificate " + unknown
                + " (a bind line must load it with 'crt')");
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(unknown).doesNotExist();
    }

    @Test
    void aCertificateServedElsewhereIsCaughtByTheReadBackPutBackAndReportedAsFailed() throws Exception {
        // HAProxy takes the certificate, but what answers at the read-back address serves another one (here a
        // second HAProxy): only the read-back tells, and the previous certificate goes back on disk and in memory
        TestCertificates.Issued elsewhere = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        try (TestHaproxy other = TestHaproxy.start(haproxy.directory().resolve("other"), elsewhere)) {
            Map<String, String> config = new LinkedHashMap<>(haproxy.resourceConfig());
            config.put("tlsAddress", other.tlsAddress());
            TargetResource wrongAddress = new TargetResource("r1", "test-haproxy", "haproxy", config);
            TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

            DeploymentOutcome outcome = target.deploy(wrongAddress, new CertificateBundle(next.chainPem(), next.keyPem()));

            // put back, but not proven: the read-back address still serves what it served
            assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.FAILED);
            assertThat(outcome.message()).contains("serves " + elsewhere.serialHex() + " instead of " + next.serialHex())
                    .contains("restored and committed to HAProxy")
                    .endsWith("but HAProxy serves " + elsewhere.serialHex() + ", not " + initial.serialHex());
            assertThat(target.readBack(resource()).serialNumber()).contains(initial.serialHex());
            assertThat(fileSerial()).isEqualTo(initial.serialHex());
        }
    }

    @Test
    void discoversTheCertificatesHaproxyServesAndDeploysToADiscoveredOne(@TempDir Path dir) throws Exception {
        String apiName = "api." + NAME.substring(NAME.indexOf('.') + 1);
        TestCertificates.Issued api = TestCertificates.leaf(TestCertificates.randomSerial(), apiName, "*." + apiName);
        haproxy.stop();
        haproxy = TestHaproxy.start(dir, initial, api);
        target = new HaproxyTarget(new ServedCertificateReader(Duration.ofSeconds(2)),
                new HaproxyTarget.Settings(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofMillis(100),
                        List.of(dir)));
        // a certificate HAProxy holds that no bind serves is not a resource
        assertThat(new HaproxyAdminSocket(Duration.ofSeconds(5)).send(haproxy.adminSocket(),
                "new ssl cert " + dir.resolve("certs/spare.pem") + "\n")).contains("New empty certificate store");

        List<DiscoveredResource> found = target.discover(new TargetAccess("local", Map.of(
                "adminSocket", haproxy.adminSocket().toString(), "tlsAddress", haproxy.tlsAddress()), Map.of()));

        // in HAProxy's order (by file name)
        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactly(haproxy.otherCertificatePath(1).toString(), haproxy.certificatePath().toString());
        assertThat(found.get(0).domains()).containsExactly(apiName, "*." + apiName);
        assertThat(found.get(1).domains()).containsExactly(NAME);
        assertThat(found.get(0).config()).containsEntry("certificatePath", haproxy.otherCertificatePath(1).toString())
                .containsEntry("adminSocket", haproxy.adminSocket().toString())
                .containsEntry("tlsAddress", haproxy.tlsAddress())
                .containsEntry("serverName", apiName);

        DiscoveredResource apiCertificate = found.get(0);
        TargetResource resource = new TargetResource("r2", apiCertificate.name(), "haproxy", apiCertificate.config(),
                apiCertificate.domains(), null);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), apiName, "*." + apiName);
        DeploymentOutcome outcome = target.deploy(resource, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
        int port = Integer.parseInt(haproxy.tlsAddress().substring(haproxy.tlsAddress().lastIndexOf(':') + 1));
        assertThat(reader.read("127.0.0.1", port, apiName).serialNumber()).contains(next.serialHex());
        assertThat(reader.read("127.0.0.1", port, "img." + apiName).serialNumber()).contains(next.serialHex());
        assertThat(reader.read("127.0.0.1", port, NAME).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(haproxy.otherCertificatePath(1))).contains(next.keyPem().strip());
    }

    @Test
    void discoveryThroughAnAbsentSocketIsRetryable() {
        assertThatThrownBy(() -> target.discover(new TargetAccess("local", Map.of(
                "adminSocket", haproxy.directory().resolve("no-such.sock").toString(),
                "tlsAddress", haproxy.tlsAddress()), Map.of())))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("cannot connect to HAProxy's admin socket")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isTrue());
    }
}
