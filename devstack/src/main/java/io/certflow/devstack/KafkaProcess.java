package io.certflow.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A single-node Kafka 3.9 KRaft broker+controller in its own JVM, from the Maven Central jars copied to
 * {@code devstack/target/lib}. The log folder is formatted once ({@code kafka.tools.StorageTool format});
 * topics are created on first use.
 */
public class KafkaProcess extends ManagedProcess {

    public KafkaProcess(StackConfig config) {
        super(config, Component.KAFKA);
    }

    public String bootstrapServers() {
        return config.kafkaBootstrapServers();
    }

    public Path dataDir() {
        return config.dataDir().resolve("kafka");
    }

    public Path serverProperties() {
        return dataDir().resolve("server.properties");
    }

    @Override
    protected List<int[]> portsToCheck() {
        return List.of(new int[] {port(), 0}, new int[] {config.ports().kafkaController(), 0});
    }

    @Override
    protected void checkPrerequisites() {
        Path lib = config.libDir();
        if (!Files.isDirectory(lib)) {
            throw new DevstackException("Kafka classpath folder " + lib + " is missing: build devstack first"
                    + " (./mvnw -q -pl devstack -am package -DskipTests)");
        }
        try (var files = Files.list(lib)) {
            if (files.noneMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"))) {
                throw new DevstackException("no kafka_2.13 jar in " + lib + ": rebuild devstack");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void prepare() throws IOException {
        Path logs = dataDir().resolve("logs");
        Files.createDirectories(logs);
        int port = port();
        int controller = config.ports().kafkaController();
        String props = """
                # written by certflow devstack at every start
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%s
                num.partitions=1
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=5
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=5
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                auto.create.topics.enable=true
                group.initial.rebalance.delay.ms=0
                log.retention.hours=168
                log.segment.bytes=16777216
                num.network.threads=2
                num.io.threads=2
                num.recovery.threads.per.data.dir=1
                """.formatted(controller, port, controller, port, logs.toString().replace("\\", "/"));
        Files.writeString(serverProperties(), props);
        log4jConfig(config);
        if (!Files.exists(logs.resolve("meta.properties"))) {
            Path idFile = dataDir().resolve("cluster.id");
            if (!Files.exists(idFile)) {
                Files.writeString(idFile, newClusterId());
            }
            runToCompletion(java("kafka.tools.StorageTool", "format", "-t", Files.readString(idFile).trim(),
                    "-c", serverProperties().toString(), "--ignore-formatted"), Duration.ofSeconds(90));
        }
    }

    @Override
    protected List<String> command() {
        return java("kafka.Kafka", serverProperties().toString());
    }

    @Override
    protected String readinessDescription() {
        return "TCP 127.0.0.1:" + port() + " and 'Kafka Server started' in the log";
    }

    @Override
    protected boolean isReady() throws IOException {
        return Ports.isListening(port()) && logSinceStart().contains("Kafka Server started");
    }

    private List<String> java(String mainClass, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(javaExecutable(), "-Xms256m", "-Xmx768m",
                "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true",
                "-Dlog4j.configuration=" + log4jConfig(config).toUri(),
                "-Dkafka.logs.dir=" + config.logsDir(),
                "-cp", config.libDir() + File.separator + "*", mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Writes (once) and returns the reload4j configuration used by the Kafka and Mongo wire server JVMs. */
    static Path log4jConfig(StackConfig config) {
        Path file = config.runDir().resolve("log4j.properties");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    log4j.rootLogger=INFO, stdout
                    log4j.appender.stdout=org.apache.log4j.ConsoleAppender
                    log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
                    log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
                    log4j.logger.org.apache.kafka=WARN
                    log4j.logger.kafka.log=WARN
                    log4j.logger.kafka.coordinator=WARN
                    log4j.logger.kafka.server.metadata=WARN
                    log4j.logger.state.change.logger=WARN
                    log4j.logger.kafka.server.KafkaConfig=WARN
                    log4j.logger.org.apache.kafka.server.config=WARN
                    log4j.logger.io.netty=WARN
                    log4j.logger.de.bwaldvogel=WARN
                    """);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Kafka cluster id: 16 random bytes, base64url without padding, not starting with '-'. */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        while (true) {
            UUID u = new UUID(random.nextLong(), random.nextLong());
            ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
