package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeployBenchTest {

    @Test
    void defaultsAreOneHundredNginxResourcesFourAtATimeThenOneByOne() {
        DeployBench.Options o = DeployBench.Options.parse(List.of());
        assertThat(o.resources()).isEqualTo(100);
        assertThat(o.type()).isEqualTo(DeployBench.Type.NGINX);
        assertThat(o.parallelism()).isEqualTo(4);
        assertThat(o.sequential()).isTrue();
        assertThat(o.oneReload()).isTrue();
    }

    @Test
    void optionsAreRead() {
        DeployBench.Options o = DeployBench.Options.parse(List.of("--resources", "10", "--type", "HAProxy",
                "--parallelism", "8", "--no-sequential", "--no-one-reload", "--timeout-minutes", "5"));
        assertThat(o.resources()).isEqualTo(10);
        assertThat(o.type()).isEqualTo(DeployBench.Type.HAPROXY);
        assertThat(o.parallelism()).isEqualTo(8);
        assertThat(o.sequential()).isFalse();
        assertThat(o.oneReload()).isFalse();
        assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> DeployBench.Options.parse(List.of("--type", "apache")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("nginx or haproxy");
        assertThatThrownBy(() -> DeployBench.Options.parse(List.of("--parallelism", "0")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("--parallelism");
        assertThatThrownBy(() -> DeployBench.Options.parse(List.of("--sites")))
                .isInstanceOf(DevstackException.class).hasMessageContaining("unknown option --sites");
    }

    @Test
    void theLogGivesEachResourceFromItsFirstDeployToItsProofAndTheJobStart() {
        String p = "  INFO 1 --- [deployment-service] [deploy-worker] i.c.deployment.target.";
        List<String> lines = List.of(
                "2026-11-27T20:00:00.000Z  INFO 1 --- [deployment-service] [scheduling-1] i.c.deployment.deploying.JobRunner"
                        + " : running deployment job j1 (RENEWAL of certificate c1 version abc) on 2 resource(s)",
                "2026-11-27T20:00:00.100Z" + p + "ConfiguredTarget : deploying certificate abc to nginx resource s0.x (r0)",
                "2026-11-27T20:00:00.200Z" + p + "ConfiguredTarget : deploying certificate abc to nginx resource s1.x (r1)",
                "2026-11-27T20:00:00.300Z" + p + "ConfiguredTarget : deploying certificate other to nginx resource s1.x (r1)",
                "2026-11-27T20:00:01.100Z" + p + "nginx.NginxTarget : nginx resource s0.x (r0) serves certificate abc",
                "2026-11-27T20:00:01.300Z" + p + "ConfiguredTarget : deploying certificate abc to nginx resource s1.x (r1)",
                "2026-11-27T20:00:03.200Z" + p + "nginx.NginxTarget : nginx resource s1.x (r1) serves certificate abc",
                "not a log line with abc");

        DeployLog log = DeployLog.of(lines, "abc", Instant.parse("2026-11-27T19:59:59Z"));

        assertThat(log.jobStarted()).contains(Instant.parse("2026-11-27T20:00:00Z"));
        assertThat(log.firstDeploy()).contains(Instant.parse("2026-11-27T20:00:00.100Z"));
        assertThat(log.lastServed()).contains(Instant.parse("2026-11-27T20:00:03.200Z"));
        assertThat(log.perResource().count()).isEqualTo(2);
        assertThat(log.perResource().percentile(50)).isEqualTo(Duration.ofSeconds(1));
        assertThat(log.perResource().percentile(100)).as("from the first attempt").isEqualTo(Duration.ofSeconds(3));
        assertThat(DeployLog.of(lines, "abc", Instant.parse("2026-11-27T20:00:01Z")).perResource().count())
                .as("a later run of the same version").isEqualTo(1);
    }
}
