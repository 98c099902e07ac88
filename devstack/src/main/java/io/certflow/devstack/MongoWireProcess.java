package io.certflow.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Mongo wire server ({@code de.bwaldvogel:mongo-java-server} with the H2 backend) in its own JVM,
 * data in {@code data/mongo/certflow.mv}. Each service uses its own database {@code certflow-<short>}.
 */
public class MongoWireProcess extends ManagedProcess {

    public MongoWireProcess(StackConfig config) {
        super(config, Component.MONGO);
    }

    /** The H2 file holding every database. */
    public Path dataFile() {
        return config.dataDir().resolve("mongo/certflow.mv");
    }

    /** {@code mongodb://127.0.0.1:<port>}. */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + port();
    }

    @Override
    protected void checkPrerequisites() {
        if (!Files.isDirectory(config.libDir())) {
            throw new DevstackException("classpath folder " + config.libDir() + " is missing: build devstack first"
                    + " (./mvnw -q -pl devstack -am package -DskipTests)");
        }
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(dataFile().getParent());
    }

    @Override
    protected List<String> command() {
        return List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlog4j.configuration=" + KafkaProcess.log4jConfig(config).toUri(),
                "-cp", StackConfig.codeSource() + File.pathSeparator + config.libDir() + File.separator + "*",
                MongoWireServerMain.class.getName(), Integer.toString(port()), dataFile().toString());
    }

    @Override
    protected String readinessDescription() {
        return "TCP 127.0.0.1:" + port();
    }

    @Override
    protected boolean isReady() {
        return Ports.isListening(port());
    }
}
