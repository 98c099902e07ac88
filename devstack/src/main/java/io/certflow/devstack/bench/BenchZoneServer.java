package io.certflow.devstack.bench;

import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.StackConfig;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * certflow's delegation zone server for {@code ./certflow bench dns}: verification-service's
 * {@code DelegationZoneServer} and {@code MongoChallengeRecordStore}, run alone from the service's own jar
 * ({@code DelegationZoneBenchServer}, through Spring Boot's {@code PropertiesLauncher}). devstack cannot
 * depend on the service, and the jar is what runs in production, so the bench launches the jar rather than a
 * copy of its classes. Ready when it answers the first record's TXT values.
 */
final class BenchZoneServer extends ManagedProcess {

    /** Where the server reads the records from on every query. */
    enum Store {
        /** The Mongo wire server process, as the service reads it. */
        MONGO,
        /** A map in memory: the cost of the server apart from its database. */
        MEMORY
    }

    private static final String MAIN = "io.certflow.verification.bench.DelegationZoneBenchServer";

    private final Store store;
    private final Path recordsFile;
    private final String mongoUri;
    private final int workers;
    private final int port;
    private final Map.Entry<String, List<String>> probe;

    /**
     * @param mongoUri the database for {@link Store#MONGO}; ignored for {@link Store#MEMORY}
     * @param port     the DNS port (UDP and TCP)
     * @param probe    a record the server must answer before it counts as ready
     */
    BenchZoneServer(StackConfig config, Store store, Path recordsFile, String mongoUri, int workers, int port,
                    Map.Entry<String, List<String>> probe) {
        super(config, Component.VERIFICATION_SERVICE);
        this.store = store;
        this.recordsFile = recordsFile;
        this.mongoUri = mongoUri;
        this.workers = workers;
        this.port = port;
        this.probe = probe;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Path logFile() {
        return config.logsDir().resolve("zone-server-" + store.name().toLowerCase() + ".log");
    }

    @Override
    public Path pidFile() {
        return config.runDir().resolve("zone-server-" + store.name().toLowerCase() + ".pid");
    }

    private Path jar() {
        return new ServiceProcess(config, Component.VERIFICATION_SERVICE).jar();
    }

    @Override
    protected void checkPrerequisites() {
        if (!Files.isRegularFile(jar())) {
            throw new DevstackException(jar() + " is missing: build first (./mvnw -q -DskipTests package)");
        }
    }

    @Override
    protected List<int[]> portsToCheck() {
        return List.of(new int[] {port(), 1});
    }

    @Override
    protected void prepare() {
        // the records file is written by the bench
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-Xms256m", "-Xmx512m",
                "-cp", jar().toString(), "-Dloader.main=" + MAIN,
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--records=" + recordsFile, "--port=" + port(), "--workers=" + workers));
        cmd.add(store == Store.MEMORY ? "--store=memory" : "--mongo-uri=" + mongoUri);
        return cmd;
    }

    @Override
    protected long readinessPollMillis() {
        return 500;
    }

    @Override
    protected String readinessDescription() {
        return "TXT " + probe.getKey() + " at 127.0.0.1:" + port();
    }

    @Override
    protected boolean isReady() throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port()));
        r.setTimeout(Duration.ofMillis(500));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(probe.getKey()), Type.TXT, DClass.IN)));
        return m.getRcode() == Rcode.NOERROR && m.getSection(Section.ANSWER).size() == probe.getValue().size();
    }
}
