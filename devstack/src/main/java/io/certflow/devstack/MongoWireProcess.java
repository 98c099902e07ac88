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

    /** The heap {@code ./certflow up} gives the server. */
    public static final String DEFAULT_MAX_HEAP = "256m";

    private final boolean inMemory;
    private final String maxHeap;

    public MongoWireProcess(StackConfig config) {
        this(config, false, DEFAULT_MAX_HEAP);
    }

    private MongoWireProcess(StackConfig config, boolean inMemory, String maxHeap) {
        super(config, Component.MONGO);
        if (!maxHeap.matches("[0-9]+[kmgKMG]")) {
            throw new IllegalArgumentException("a heap size such as 256m or 8g, not " + maxHeap);
        }
        this.inMemory = inMemory;
        this.maxHeap = maxHeap;
    }

    /**
     * The same server with its data in memory only (lost when it stops) and a heap of {@code maxHeap} (as
     * {@code -Xmx}), for benchmarks that tell the H2 file's cost from the server's.
     */
    public static MongoWireProcess inMemory(StackConfig config, String maxHeap) {
        return new MongoWireProcess(config, true, maxHeap);
    }

    /** The server as {@code ./certflow up} runs it, with a heap of {@code maxHeap} (as {@code -Xmx}). */
    public static MongoWireProcess withHeap(StackConfig config, String maxHeap) {
        return new MongoWireProcess(config, false, maxHeap);
    }

    /** Whether the data are kept in memory only. */
    public boolean isInMemory() {
        return inMemory;
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
        // in memory (a benchmark's diagnostic) the store holds every document as Java objects, gigabytes of them at a
        // million: the serial collector's full collections of such a heap pause it for tens of seconds, G1's do not
        return List.of(javaExecutable(), "-Xmx" + maxHeap, inMemory ? "-XX:+UseG1GC" : "-XX:+UseSerialGC",
                "-Dlog4j.configuration=" + KafkaProcess.log4jConfig(config).toUri(),
                "-cp", StackConfig.codeSource() + File.pathSeparator + config.libDir() + File.separator + "*",
                MongoWireServerMain.class.getName(), Integer.toString(port()),
                inMemory ? MongoWireServerMain.MEMORY : dataFile().toString());
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
