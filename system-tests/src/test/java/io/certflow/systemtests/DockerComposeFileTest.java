package io.certflow.systemtests;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        for (String variable : requiredVariables()) {
            env.put(variable, "compose-test-value");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        for (String service : new String[]{"mongodb", "kafka", "kafka-setup", "pebble", "order-service", "verification-service",
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
            if ((block.contains("image:") || block.contains("build:")) && !block.contains("restart: \"no\"")) {
                assertThat(block).as(block.lines().findFirst().orElse("")).contains("healthcheck:");
                withHealth++;
            }
        }
        assertThat(withHealth).isEqualTo(8);
    }

    @Test
    void withoutItsSecretsTheFileIsRefused_naming() throws Exception {
        assumeTrue(new File("/usr/bin/docker-compose").canExecute(), "docker-compose is not installed");
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config")
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CERTFLOW_"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("set CERTFLOW_");
    }

    /** Secrets come from the environment: no password, token, key or JAAS secret is written in the file. */
    @Test
    void noSecretIsWrittenInTheFile() throws Exception {
        Pattern secretSetting = Pattern.compile("(?i)^\\s*[A-Z_]*(PASSWORD|TOKEN|SECRET|KEY|SHA256)[A-Z_]*:\\s*(.*)$");
        for (String line : Files.readAllLines(COMPOSE)) {
            Matcher m = secretSetting.matcher(line);
            if (m.matches() && !line.trim().startsWith("#")) {
                assertThat(m.group(2)).as(line).startsWith("${").contains(":?");
            }
            if (line.contains("password=")) {
                assertThat(line).as(line).containsPattern("password=\\\\?\"\\$\\{[A-Z_]+:\\?");
            }
        }
        assertThat(Files.readString(COMPOSE)).contains("SASL_PLAINTEXT", "SCRAM-SHA-512", "authSource=",
                "MONGO_INITDB_ROOT_PASSWORD");
    }

    /** Every {@code ${NAME:?…}} the file requires. */
    private static Set<String> requiredVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(Files.readString(COMPOSE));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
