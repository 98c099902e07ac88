package io.certflow.devstack.bench;

import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.ServiceProcess;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the hosted certificates of {@code ./certflow bench renewals} into hosting-service's database and times the
 * service's store calls on them: hosting-service's own {@code HostedFleetLoader}, run to completion from the
 * service's jar through Spring Boot's {@code PropertiesLauncher} (devstack cannot depend on the service, and the jar
 * holds the domain classes that make the documents what the service writes). Its output goes to
 * {@code logs/fleet-loader.log}; its figures come back as {@code key=value} lines.
 */
final class BenchFleetLoader extends ManagedProcess {

    private static final String MAIN = "io.certflow.hosting.bench.HostedFleetLoader";

    /**
     * What to load.
     *
     * @param hosted    certificates
     * @param due       of them due now
     * @param probeRuns runs of each store probe (0: none)
     */
    record Fleet(int hosted, int due, int probeRuns) {
    }

    BenchFleetLoader(StackConfig config) {
        super(config, Component.HOSTING_SERVICE);
    }

    /** The ids of the due certificates, one a line, written by the last {@link #load}. */
    Path dueIds() {
        return config.dataDir().resolve("due-ids.txt");
    }

    /**
     * Drops and fills the certificates collection of hosting-service's database, then probes it.
     *
     * @return the loader's figures ({@code load.ms}, {@code collection.bytes}, {@code probe.<name>.ms} …)
     */
    Map<String, String> load(Fleet fleet, Duration timeout) {
        Path report = config.dataDir().resolve("fleet-loader.properties");
        try {
            Files.createDirectories(config.dataDir());
            Files.deleteIfExists(report);
        } catch (IOException e) {
            throw new DevstackException("cannot prepare " + report + ": " + e.getMessage(), e);
        }
        checkPrerequisites();
        runToCompletion(List.of(javaExecutable(), "-Xmx512m", "-cp", jar().toString(), "-Dloader.main=" + MAIN,
                "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--mongo-uri=" + config.mongoUri(Component.HOSTING_SERVICE), "--hosted=" + fleet.hosted(),
                "--due=" + fleet.due(), "--probe-runs=" + fleet.probeRuns(), "--report=" + report,
                "--due-ids=" + dueIds()), timeout);
        Map<String, String> figures = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(report)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    figures.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new DevstackException("the fleet loader wrote no report " + report + "; " + logHint(), e);
        }
        return figures;
    }

    private Path jar() {
        return new ServiceProcess(config, Component.HOSTING_SERVICE).jar();
    }

    @Override
    public Path logFile() {
        return config.logsDir().resolve("fleet-loader.log");
    }

    @Override
    public Path pidFile() {
        return config.runDir().resolve("fleet-loader.pid");
    }

    @Override
    protected void checkPrerequisites() {
        if (!Files.isRegularFile(jar())) {
            throw new DevstackException(jar() + " is missing: build first (./mvnw -q -DskipTests package)");
        }
    }

    @Override
    protected void prepare() {
        // run to completion by load(), never started as a server
    }

    @Override
    protected List<String> command() {
        throw new UnsupportedOperationException("the fleet loader runs to completion: load()");
    }

    @Override
    protected String readinessDescription() {
        return "finished";
    }

    @Override
    protected boolean isReady() {
        return true;
    }
}
