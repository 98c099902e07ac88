package io.certflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsFollowDocsApiMd() {
        StackConfig c = StackConfig.defaults(dir);
        assertThat(c.home()).isEqualTo(dir.resolve(".certflow"));
        assertThat(c.logsDir()).isEqualTo(dir.resolve(".certflow/logs"));
        assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.mongoUri(Component.ORDER_SERVICE)).isEqualTo("mongodb://127.0.0.1:27017/certflow-order");
        assertThat(c.serviceUrl(Component.DEPLOYMENT_SERVICE)).isEqualTo("http://127.0.0.1:8085");
        assertThat(c.pebbleDirectoryUrl()).isEqualTo("https://localhost:14000/dir");
        assertThat(c.ports().bind()).isEqualTo(5353);
        assertThat(c.ports().certflowDns()).isEqualTo(8053);
        assertThat(c.ports().nginx()).isEqualTo(8443);
        assertThat(c.apiKey()).isEqualTo("demo-key");
        assertThat(c.internalToken()).isEqualTo("demo-internal-token");
    }

    @Test
    void environmentOverridesHomeAndPorts() {
        StackConfig c = StackConfig.fromEnvironment(dir, Map.of("CERTFLOW_HOME", "elsewhere", "CERTFLOW_KAFKA_PORT", "19092",
                "CERTFLOW_BIND_PORT", "15353"));
        assertThat(c.home()).isEqualTo(dir.resolve("elsewhere"));
        assertThat(c.ports().kafka()).isEqualTo(19092);
        assertThat(c.ports().bind()).isEqualTo(15353);
        assertThat(c.ports().mongo()).isEqualTo(27017);
        assertThatThrownBy(() -> StackConfig.fromEnvironment(dir, Map.of("CERTFLOW_MONGO_PORT", "x")))
                .hasMessageContaining("CERTFLOW_MONGO_PORT");
    }

    @Test
    void freePortsAreDistinct() {
        Ports p = Ports.free();
        Set<Integer> all = new HashSet<>(List.of(p.kafka(), p.kafkaController(), p.mongo(), p.pebble(), p.pebbleManagement(),
                p.bind(), p.nginx(), p.certflowDns(), p.order(), p.verification(), p.issuance(), p.hosting(), p.deployment(), p.console()));
        assertThat(all).hasSize(14);
    }

    @Test
    void servicePropertiesWireEachServiceAndKeepSecretsOffTheCommandLine() {
        StackConfig c = StackConfig.defaults(dir).withHome(dir)
                .withServiceProperty(Component.HOSTING_SERVICE, "certflow.hosting.renewal.poll-interval", "PT1S");
        ServiceProcess issuance = new ServiceProcess(c, Component.ISSUANCE_SERVICE);
        Map<String, String> p = issuance.properties();
        assertThat(p).containsEntry("server.port", "8083")
                .containsEntry("spring.data.mongodb.uri", "mongodb://127.0.0.1:27017/certflow-issuance")
                .containsEntry("certflow.security.api-keys.devstack.sha256",
                        "c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c")
                .containsEntry("certflow.security.api-keys.devstack.account", "demo")
                .containsEntry("certflow.issuance.ca.directory-url", "https://localhost:14000/dir")
                .containsEntry("certflow.issuance.ca.trusted-certificate", dir.resolve("data/pebble/listener-ca.pem").toString());
        String kek = p.get("certflow.issuance.key-encryption-key");
        assertThat(java.util.Base64.getDecoder().decode(kek)).hasSize(32);
        assertThat(ServiceProcess.keyEncryptionKey(c)).isEqualTo(kek); // kept per data dir
        assertThat(issuance.command()).noneMatch(a -> a.contains(kek) || a.contains("internal-token") || a.contains("demo-key"));
        assertThat(issuance.environment().get("SPRING_APPLICATION_JSON")).contains(kek, "demo-internal-token");

        assertThat(new ServiceProcess(c, Component.VERIFICATION_SERVICE).properties())
                .containsEntry("certflow.verification.delegation-zone", "acme.certflow.test.")
                .containsEntry("certflow.verification.dns.port", "8053")
                .containsEntry("certflow.verification.resolver", "127.0.0.1:5353");
        assertThat(new ServiceProcess(c, Component.DEPLOYMENT_SERVICE).properties())
                .containsEntry("certflow.deployment.issuance-url", "http://127.0.0.1:8083")
                .containsEntry("certflow.deployment.internal-token", "demo-internal-token");
        assertThat(new ServiceProcess(c, Component.HOSTING_SERVICE).properties())
                .containsEntry("certflow.hosting.renewal.poll-interval", "PT1S");
    }

    @Test
    void theConsoleReachesEveryServiceWithTheStacksKeysAndHasNoDatabase() {
        StackConfig c = StackConfig.defaults(dir);
        assertThat(c.serviceUrl(Component.CONSOLE)).isEqualTo("http://127.0.0.1:8080");
        assertThat(Component.ALL).doesNotContain(Component.CONSOLE);
        assertThat(Component.WITH_CONSOLE).containsAll(Component.ALL).contains(Component.CONSOLE);
        assertThat(new ServiceProcess(c, Component.CONSOLE).properties())
                .containsEntry("server.port", "8080")
                .containsEntry("certflow.console.services.order", "http://127.0.0.1:8081")
                .containsEntry("certflow.console.services.deployment", "http://127.0.0.1:8085")
                .containsEntry("certflow.security.api-keys.devstack.account", "demo")
                .doesNotContainKey("spring.data.mongodb.uri");
        assertThat(new ServiceProcess(c, Component.CONSOLE).jar().toString()).endsWith("console/target/console-0.1.0-SNAPSHOT.jar");
    }

    @Test
    void componentNamesParse() {
        assertThat(Component.parse("order")).isEqualTo(Component.ORDER_SERVICE);
        assertThat(Component.parse("issuance-service")).isEqualTo(Component.ISSUANCE_SERVICE);
        assertThat(Component.parse("KAFKA")).isEqualTo(Component.KAFKA);
        assertThat(Component.parse("console")).isEqualTo(Component.CONSOLE);
        assertThatThrownBy(() -> Component.parse("zookeeper")).hasMessageContaining("unknown component");
    }

    @Test
    void serialsCompareAcrossNotations() {
        assertThat(TlsProbe.normalizeSerial("00:AB:cd:01")).isEqualTo("abcd01");
        assertThat(TlsProbe.normalizeSerial("0x0ABCD01")).isEqualTo("abcd01");
        assertThat(TlsProbe.normalizeSerial("0")).isEqualTo("0");
    }

    @Test
    void nginxReloadCommandNamesItsPrefixAndConf() {
        NginxProcess nginx = new NginxProcess(StackConfig.defaults(dir).withHome(dir));
        assertThat(nginx.reloadCommand()).contains("-p " + dir.resolve("data/nginx") + "/", "-c " + nginx.confFile(), "-s reload");
        assertThat(nginx.certificatePath()).isEqualTo(dir.resolve("data/nginx/certs/www.demo.certflow.test.crt"));
    }

    @Test
    void theCaComesFromTheEnvironmentWhenSet(@TempDir Path repo) {
        StackConfig pebble = StackConfig.fromEnvironment(repo, Map.of());
        StackConfig staging = StackConfig.fromEnvironment(repo, Map.of(
                "CERTFLOW_CA_DIRECTORY_URL", "acme://letsencrypt.org/staging"));

        assertThat(pebble.serviceProperties()).doesNotContainKey(Component.ISSUANCE_SERVICE);
        assertThat(new ServiceProcess(staging, Component.ISSUANCE_SERVICE).properties())
                .containsEntry("certflow.issuance.ca.directory-url", "acme://letsencrypt.org/staging")
                .containsEntry("certflow.issuance.ca.trusted-certificate", "");
    }

    @Test
    void pebbleIsFastByDefaultAndCanBeMadeHostile() {
        StackConfig c = StackConfig.defaults(dir).withHome(dir);
        assertThat(c.pebble()).isEqualTo(PebbleBehaviour.fast());
        assertThat(StackConfig.fromEnvironment(dir, Map.of()).pebble()).isEqualTo(PebbleBehaviour.fast());
        assertThat(StackConfig.forTests(dir, Set.of(Component.PEBBLE)).pebble()).isEqualTo(PebbleBehaviour.fast());
        assertThat(PebbleProcess.environment(c.pebble()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0",
                        "PEBBLE_ALTERNATE_ROOTS", "0", "PEBBLE_CHAIN_LENGTH", "1", "PEBBLE_AUTHZREUSE", "0"));

        StackConfig hostile = c.withPebble(PebbleBehaviour.pebbleDefaults());
        assertThat(hostile.pebble().validationDelay()).isTrue();
        assertThat(hostile.pebble().nonceRejectPercent()).isEqualTo(5);
        assertThat(PebbleProcess.environment(hostile.pebble()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PEBBLE_VA_NOSLEEP", "0", "PEBBLE_WFE_NONCEREJECT", "5",
                        "PEBBLE_ALTERNATE_ROOTS", "0", "PEBBLE_CHAIN_LENGTH", "1", "PEBBLE_AUTHZREUSE", "0"));
        // every other with… keeps the behaviour
        assertThat(hostile.withPorts(Ports.free()).withDetached(false)
                .withServiceProperty(Component.HOSTING_SERVICE, "k", "v").withStartTimeout(java.time.Duration.ofSeconds(1))
                .withComponents(Set.of(Component.PEBBLE)).withHome(dir.resolve("x")).withRepoRoot(dir)
                .withServiceJvmArgs(List.of()).pebble()).isEqualTo(PebbleBehaviour.pebbleDefaults());

        PebbleBehaviour half = PebbleBehaviour.fast().withNonceRejectPercent(50);
        assertThat(PebbleProcess.environment(half))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "50",
                        "PEBBLE_ALTERNATE_ROOTS", "0", "PEBBLE_CHAIN_LENGTH", "1", "PEBBLE_AUTHZREUSE", "0"));
        assertThat(half.withValidationDelay(true)).isEqualTo(new PebbleBehaviour(true, 50));
        assertThatThrownBy(() -> new PebbleBehaviour(true, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PebbleBehaviour(true, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pebbleCanRequireExternalAccountBindingAndServeAlternateChains() {
        PebbleBehaviour ca = PebbleBehaviour.fast().withExternalAccountBinding(Map.of("kid-1", "c2VjcmV0LWtleQ"))
                .withAlternateRoots(1).withChainLength(2);

        assertThat(ca.externalAccountBindingRequired()).isTrue();
        assertThat(PebbleBehaviour.fast().externalAccountBindingRequired()).isFalse();
        assertThat(PebbleProcess.environment(ca)).containsEntry("PEBBLE_ALTERNATE_ROOTS", "1")
                .containsEntry("PEBBLE_CHAIN_LENGTH", "2");
        assertThat(PebbleProcess.macKeysJson(ca.externalAccountMacKeys())).isEqualTo("{\"kid-1\": \"c2VjcmV0LWtleQ\"}");
        assertThat(PebbleProcess.macKeysJson(Map.of())).isEqualTo("{}");
        assertThat(ca.withNonceRejectPercent(3).withValidationDelay(true).externalAccountMacKeys()).containsKey("kid-1");
        assertThatThrownBy(() -> PebbleProcess.macKeysJson(Map.of("kid\"", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleBehaviour.fast().withChainLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PebbleBehaviour.fast().withAlternateRoots(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
