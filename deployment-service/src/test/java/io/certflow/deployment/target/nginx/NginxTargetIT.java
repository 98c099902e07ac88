package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ReadBackCheck;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.target.process.CommandResult;
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

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The nginx adapter against a real nginx 1.22: deploy, read back, roll back after a bad certificate, leave a
 * stopped nginx alone, and discover the TLS server blocks from {@code nginx -T}.
 */
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
    void deploymentsToSitesOfOneServerThatArriveTogetherShareOneTestAndOneReload() throws Exception {
        List<String> sites = List.of("a." + NAME, "b." + NAME, "c." + NAME, "d." + NAME);
        List<TargetResource> resources = new ArrayList<>();
        for (String site : sites) {
            resources.add(addSite(site, TestCertificates.leaf(TestCertificates.randomSerial(), site)));
        }
        nginx.reload();
        AtomicInteger reloads = new AtomicInteger();
        AtomicInteger tests = new AtomicInteger();
        CommandRunner counting = new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, Duration timeout) {
                (argv.contains("-t") ? tests : reloads).incrementAndGet();
                return super.run(argv, timeout);
            }
        };
        // a gather window long enough for four threads on a busy machine
        NginxTarget grouping = new NginxTarget(new ServedCertificateReader(Duration.ofSeconds(2)), counting,
                new NginxTarget.Settings(Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(100),
                        List.of(TestNginx.nginxExecutable()), List.of(nginx.keyPath().getParent())), Duration.ofSeconds(2));
        TestCertificates.Issued renewed = TestCertificates.leaf(TestCertificates.randomSerial(), sites.toArray(String[]::new));
        CertificateBundle bundle = new CertificateBundle(renewed.chainPem(), renewed.keyPem());

        ExecutorService workers = Executors.newFixedThreadPool(sites.size());
        List<Future<DeploymentOutcome>> outcomes = new ArrayList<>();
        try {
            for (TargetResource resource : resources) {
                outcomes.add(workers.submit(() -> grouping.deploy(resource, bundle)));
            }
            for (Future<DeploymentOutcome> outcome : outcomes) {
                DeploymentOutcome done = outcome.get(60, TimeUnit.SECONDS);
                assertThat(done.succeeded()).as(done.message()).isTrue();
            }
        } finally {
            workers.shutdownNow();
        }

        for (TargetResource resource : resources) {
            assertThat(target.readBack(resource).serialNumber()).as(resource.name()).contains(renewed.serialHex());
        }
        assertThat(reloads).as("nginx -s reload runs").hasValue(1);
        assertThat(tests).as("nginx -t runs").hasValue(1);
    }

    @Test
    void aGarbageKeyFailsTheConfigTestNothingIsReloadedAndThePreviousCertificateIsRolledBack() throws Exception {
        String before = Files.readString(nginx.keyPath());
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(true),
                new CertificateBundle(next.chainPem(), TestCertificates.garbageKeyPem()));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        // nginx's own complaint, its first lines, and what is served now
        assertThat(outcome.message()).contains("configuration test failed, so nginx was not reloaded")
                .contains("[emerg]").contains(nginx.keyPath().toString())
                .contains("previous certificate " + initial.serialHex() + " restored")
                .endsWith("nginx serves " + initial.serialHex())
                .doesNotContain("PRIVATE KEY");
        assertThat(target.readBack(resource(true)).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(before);
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
    }

    @Test
    void withoutAConfigTestAMismatchedKeyFailsTheReloadAndIsRolledBack() throws Exception {
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
        TestCertificates.Issued other = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(false), new CertificateBundle(next.chainPem(), other.keyPem()));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("nginx reload failed").contains("key values mismatch")
                .contains("restored and reloaded").endsWith("nginx serves " + initial.serialHex());
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

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("serves " + initial.serialHex() + " instead of " + next.serialHex())
                .contains("restored");
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
        assertThat(Files.readString(nginx.keyPath())).isEqualTo(initial.keyPem());
    }

    @Test
    void aReloadCommandThatFailsRestoresTheFilesAndNginxKeepsServingThePreviousCertificate() throws Exception {
        var config = new java.util.LinkedHashMap<>(TestNginx.resourceConfig(nginx, false));
        config.put("reloadCommand", TestNginx.nginxExecutable() + " -p /nonexistent -c /nonexistent/nginx.conf -s reload");
        TargetResource broken = new TargetResource("r1", "test-nginx", "nginx", config);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(broken, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.message()).contains("nginx reload failed").contains("restored (reloading it failed");
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(Files.readString(nginx.certificatePath())).isEqualTo(initial.chainPem());
        assertThat(target.readBack(resource(false)).serialNumber()).contains(initial.serialHex());
    }

    @Test
    void filesNginxDoesNotServeAreRemovedAgainAndTheDeploymentFailsSayingWhatIsServed() throws Exception {
        // a resource whose files are not the ones nginx loads: nothing to put back, so no rollback can be proven
        var config = new java.util.LinkedHashMap<>(TestNginx.resourceConfig(nginx, true));
        Path unused = nginx.keyPath().getParent();
        config.put("certificatePath", unused.resolve("unused.crt").toString());
        config.put("keyPath", unused.resolve("unused.key").toString());
        TargetResource elsewhere = new TargetResource("r1", "test-nginx", "nginx", config);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(elsewhere, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("serves " + initial.serialHex() + " instead of " + next.serialHex())
                .contains("there was no previous certificate: the new files were removed")
                .endsWith("but nginx serves " + initial.serialHex());
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(unused.resolve("unused.crt")).doesNotExist();
        assertThat(unused.resolve("unused.key")).doesNotExist();
    }

    @Test
    void anNginxThatIsDownIsUnreachableAndNothingIsWritten() throws Exception {
        nginx.stop();
        byte[] certificate = Files.readAllBytes(nginx.certificatePath());
        long modified = Files.getLastModifiedTime(nginx.keyPath()).toMillis();
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);

        DeploymentOutcome outcome = target.deploy(resource(true), new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).startsWith("nothing deployed: nginx is down")
                .contains(nginx.tlsAddress() + " does not accept connections");
        assertThat(outcome.previous()).isNull();
        assertThat(Files.readAllBytes(nginx.certificatePath())).isEqualTo(certificate);
        assertThat(Files.getLastModifiedTime(nginx.keyPath()).toMillis()).isEqualTo(modified);
    }

    @Test
    void discoversTheTlsServerBlocksFromNginxItselfAndDeploysToADiscoveredOne() throws Exception {
        String apiName = "api." + NAME.substring(NAME.indexOf('.') + 1);
        TestCertificates.Issued api = TestCertificates.leaf(TestCertificates.randomSerial(), apiName, "*." + apiName);
        addSites(api, apiName);

        List<DiscoveredResource> found = target.discover(new TargetAccess("local", Map.of(
                "binary", TestNginx.nginxExecutable(), "configPath", nginx.confFile().toString(),
                "prefix", nginx.prefix().toString()), Map.of()));

        String port = nginx.tlsAddress().substring(nginx.tlsAddress().lastIndexOf(':') + 1);
        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactly(apiName + ":" + port, NAME + ":" + port);
        DiscoveredResource apiBlock = found.get(0);
        DiscoveredResource demo = found.get(1);
        assertThat(apiBlock.domains()).containsExactly(apiName, "*." + apiName);
        assertThat(demo.domains()).containsExactly(NAME);
        assertThat(demo.config()).containsEntry("certificatePath", nginx.certificatePath().toString())
                .containsEntry("keyPath", nginx.keyPath().toString())
                .containsEntry("tlsAddress", nginx.tlsAddress())
                .containsEntry("serverName", NAME);
        assertThat(apiBlock.config()).containsEntry("certificatePath", nginx.keyPath().getParent().resolve("api.crt").toString())
                .containsEntry("serverName", apiName);

        // the discovered settings deploy: the API block serves the new certificate, the demo block keeps its own
        TargetResource resource = new TargetResource("r2", apiBlock.name(), "nginx", apiBlock.config(),
                apiBlock.domains(), null);
        TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), apiName, "*." + apiName);
        DeploymentOutcome outcome = target.deploy(resource, new CertificateBundle(next.chainPem(), next.keyPem()));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
        String host = nginx.tlsAddress().substring(0, nginx.tlsAddress().lastIndexOf(':'));
        assertThat(reader.read(host, Integer.parseInt(port), apiName).serialNumber()).contains(next.serialHex());
        assertThat(reader.read(host, Integer.parseInt(port), "img." + apiName).serialNumber()).contains(next.serialHex());
        assertThat(reader.read(host, Integer.parseInt(port), NAME).serialNumber()).contains(initial.serialHex());
        assertThat(Files.readString(nginx.keyPath().getParent().resolve("api.crt"))).isEqualTo(next.chainPem());

        // and its discovered configuration test guards it: a garbage key is rolled back without a reload
        DeploymentOutcome garbage = target.deploy(resource,
                new CertificateBundle(next.chainPem(), TestCertificates.garbageKeyPem()));
        assertThat(garbage.status()).as(garbage.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(reader.read(host, Integer.parseInt(port), apiName).serialNumber()).contains(next.serialHex());
    }

    @Test
    void discoveryNamesWhatIsWrongWithItsSettings() {
        assertThatThrownBy(() -> target.discover(new TargetAccess("local", Map.of("binary", "/bin/sh",
                "configPath", "relative.conf"), Map.of("password", "s3cr3t-value"))))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("'binary' must be one of the allowed executables")
                .hasMessageContaining("'configPath' must be an absolute path")
                .hasMessageContaining("takes no secrets")
                .hasMessageNotContaining("s3cr3t-value")
                .satisfies(e -> assertThat(((TargetException) e).retryable()).isFalse());
    }

    @Test
    void discoveryOfAConfigurationNginxRefusesSaysWhy() throws Exception {
        Files.writeString(nginx.confFile(), Files.readString(nginx.confFile()).replace("http {", "http {\n    bogus_directive on;"));

        assertThatThrownBy(() -> target.discover(new TargetAccess("local", Map.of(
                "binary", TestNginx.nginxExecutable(), "configPath", nginx.confFile().toString()), Map.of())))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("nginx -T failed")
                .hasMessageContaining("unknown directive \"bogus_directive\"");
    }

    /** A TLS site of its own on the demo's address (told apart by SNI) serving {@code initial}; nginx not reloaded. */
    private TargetResource addSite(String name, TestCertificates.Issued initial) throws Exception {
        Path certs = nginx.keyPath().getParent();
        Path certificate = certs.resolve(name + ".crt");
        Path key = certs.resolve(name + ".key");
        Files.writeString(certificate, initial.chainPem());
        Files.writeString(key, initial.keyPem());
        Path sites = Files.createDirectories(nginx.confFile().getParent().resolve("sites"));
        Files.writeString(sites.resolve(name + ".conf"), """
                server {
                    listen %s ssl;
                    server_name %s;
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    location / { return 200; }
                }
                """.formatted(nginx.tlsAddress(), name, certificate, key));
        if (!Files.readString(nginx.confFile()).contains("include sites/*.conf;")) {
            Files.writeString(nginx.confFile(), Files.readString(nginx.confFile())
                    .replace("http {", "http {\n    include sites/*.conf;"));
        }
        Map<String, String> config = new java.util.LinkedHashMap<>(TestNginx.resourceConfig(nginx, true));
        config.put("certificatePath", certificate.toString());
        config.put("keyPath", key.toString());
        config.put("serverName", name);
        return new TargetResource("r-" + name, name, "nginx", config);
    }

    /**
     * Adds, through an include relative to the main file, a second TLS block on the demo's address (told apart by
     * SNI, its certificate path relative, its key path quoted) and a plain block, and reloads nginx.
     */
    private void addSites(TestCertificates.Issued api, String apiName) throws Exception {
        Path certs = nginx.keyPath().getParent();
        Files.writeString(certs.resolve("api.crt"), api.chainPem());
        Files.writeString(certs.resolve("api.key"), api.keyPem());
        Path sites = Files.createDirectories(nginx.confFile().getParent().resolve("sites"));
        Files.writeString(sites.resolve("api.conf"), """
                # the API, on the demo's address; nginx picks the block by SNI
                server {
                    listen %s ssl;
                    server_name %s "*.%s";   # a wildcard too
                    ssl_certificate ../certs/api.crt;
                    ssl_certificate_key '%s';
                    location / { return 200 "api; not a } brace"; }
                }
                """.formatted(nginx.tlsAddress(), apiName, apiName, certs.resolve("api.key")));
        try (ServerSocket free = new ServerSocket(0)) {
            Files.writeString(sites.resolve("plain.conf"), "server { listen 127.0.0.1:" + free.getLocalPort()
                    + "; server_name plain." + apiName + "; return 200; }\n");
        }
        Files.writeString(nginx.confFile(), Files.readString(nginx.confFile())
                .replace("http {", "http {\n    include sites/*.conf;"));
        nginx.reload();
        ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
        new ReadBackCheck(Duration.ofSeconds(10), Duration.ofMillis(100)).awaitServing(() -> reader.read(
                "127.0.0.1", Integer.parseInt(nginx.tlsAddress().substring(nginx.tlsAddress().lastIndexOf(':') + 1)),
                apiName), api.serialHex());
    }
}
