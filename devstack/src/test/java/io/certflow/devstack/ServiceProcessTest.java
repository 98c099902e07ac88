package io.certflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second instance of a service: same wiring and key-encryption key, its own port, log, pid file and jar copy. */
class ServiceProcessTest {
    @TempDir
    Path dir;

    @Test
    void aSecondInstanceSharesTheWiringButNotItsPortLogPidOrJar() {
        StackConfig config = StackConfig.defaults(dir);
        ServiceProcess main = new ServiceProcess(config, Component.ISSUANCE_SERVICE);
        ServiceProcess second = ServiceProcess.instance(config, Component.ISSUANCE_SERVICE, "b", 18083);

        assertThat(second.port()).isEqualTo(18083);
        assertThat(second.baseUrl()).isEqualTo("http://127.0.0.1:18083");
        assertThat(second.properties()).containsEntry("server.port", "18083")
                .containsEntry("spring.data.mongodb.uri", main.properties().get("spring.data.mongodb.uri"))
                .containsEntry("certflow.issuance.key-encryption-key",
                        main.properties().get("certflow.issuance.key-encryption-key"));
        assertThat(second.logFile()).isEqualTo(config.logsDir().resolve("issuance-service-b.log")).isNotEqualTo(main.logFile());
        assertThat(second.pidFile()).isNotEqualTo(main.pidFile());
        assertThat(second.runningJar()).isNotEqualTo(main.runningJar());
        assertThat(main.port()).isEqualTo(8083);
        assertThatThrownBy(() -> ServiceProcess.instance(config, Component.ISSUANCE_SERVICE, "../x", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuanceServiceChecksCaaAtTheStacksBind_withPebblesIdentityOnlyForPebble() {
        StackConfig config = StackConfig.defaults(dir);
        assertThat(new ServiceProcess(config, Component.ISSUANCE_SERVICE).properties())
                .containsEntry("certflow.issuance.caa.resolver", "127.0.0.1:" + config.ports().bind())
                .containsEntry("certflow.issuance.ca.caa-identities", ServiceProcess.PEBBLE_CAA_IDENTITY);

        StackConfig otherCa = StackConfig.fromEnvironment(dir, java.util.Map.of("CERTFLOW_CA_DIRECTORY_URL",
                "https://acme-staging-v02.api.letsencrypt.org/directory"));
        assertThat(new ServiceProcess(otherCa, Component.ISSUANCE_SERVICE).properties())
                .containsKey("certflow.issuance.caa.resolver")
                .doesNotContainKey("certflow.issuance.ca.caa-identities");
    }

    @Test
    void killingAProcessThatIsNotRunningIsHarmless() {
        ServiceProcess process = new ServiceProcess(StackConfig.defaults(dir), Component.ISSUANCE_SERVICE);
        process.kill();
        assertThat(process.isRunning()).isFalse();
    }
}
