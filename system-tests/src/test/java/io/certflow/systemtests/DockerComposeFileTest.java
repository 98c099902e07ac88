package io.certflow.systemtests;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The production compose file is valid and complete: {@code docker-compose config} accepts it
 * (where the tool is installed; no engine needed), and it runs MongoDB, Kafka, Pebble and the five
 * services, each with a health check.
 */
class DockerComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        assumeTrue(new File("/usr/bin/docker-compose").canExecute(), "docker-compose is not installed");
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config")
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("CERTFLOW_API_KEY", "compose-test-key");
        env.put("CERTFLOW_INTERNAL_TOKEN", "compose-test-token");
        env.put("CERTFLOW_KEY_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        for (String service : new String[]{"mongodb", "kafka", "pebble", "order-service", "verification-service",
                "issuance-service", "hosting-service", "deployment-service"}) {
            assertThat(output).contains("  " + service + ":");
        }
    }

    @Test
    void everyServiceHasAHealthCheck() throws Exception {
        String compose = Files.readString(COMPOSE);
        String[] services = compose.split("\n  (?=[a-z-]+:\n)");
        int withHealth = 0;
        for (String block : services) {
            if (block.contains("image:") || block.contains("build:")) {
                assertThat(block).as(block.lines().findFirst().orElse("")).contains("healthcheck:");
                withHealth++;
            }
        }
        assertThat(withHealth).isEqualTo(8);
    }
}
