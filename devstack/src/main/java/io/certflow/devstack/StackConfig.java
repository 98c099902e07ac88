package io.certflow.devstack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where one local stack lives and how it is wired: its home folder ({@code logs/}, {@code data/},
 * {@code run/} below it), the repository it takes the service jars from, which components to start,
 * their ports and the demo credentials.
 *
 * @param home               the stack's folder; {@code .certflow} under the repository by default
 * @param repoRoot           the repository root (service jars at {@code <module>/target/<module>-*.jar})
 * @param components         what {@link Stack#start(StackConfig)} starts
 * @param ports              loopback ports
 * @param apiKey             the API key the services accept ({@code demo-key})
 * @param accountId          the account the API key maps to ({@code demo})
 * @param internalToken      the {@code X-Internal-Token} for {@code /internal/v1/**}
 * @param detached           true for {@code ./certflow up}: processes get their own session and outlive
 *                           this JVM; false for tests: a shutdown hook stops them if the JVM exits
 * @param startTimeout       how long one component may take to become ready
 * @param serviceJvmArgs     JVM options for each service ({@code -Xmx384m} …)
 * @param serviceProperties  extra {@code --key=value} arguments per service (tests tune schedules with it)
 * @param pebble             how the local Pebble behaves: {@link PebbleBehaviour#fast()} by default,
 *                           {@link PebbleBehaviour#pebbleDefaults()} for the end-to-end test
 */
public record StackConfig(
        Path home,
        Path repoRoot,
        Set<Component> components,
        Ports ports,
        String apiKey,
        String accountId,
        String internalToken,
        boolean detached,
        Duration startTimeout,
        List<String> serviceJvmArgs,
        Map<Component, Map<String, String>> serviceProperties,
        PebbleBehaviour pebble) {

    public static final String DEMO_API_KEY = "demo-key";
    /** The stack's operator key: the console's topic dashboards (and replay), any account's reads with X-Certflow-Account. */
    public static final String DEMO_OPERATOR_KEY = "demo-operator-key";
    public static final String DEMO_ACCOUNT = "demo";
    public static final String DEMO_INTERNAL_TOKEN = "demo-internal-token";
    public static final String DEMO_ZONE = "demo.certflow.test.";
    public static final String DELEGATION_ZONE = "acme.certflow.test.";
    public static final String DEMO_DOMAIN = "www.demo.certflow.test";
    public static final List<String> DEFAULT_SERVICE_JVM_ARGS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    public StackConfig {
        home = home.toAbsolutePath().normalize();
        repoRoot = repoRoot.toAbsolutePath().normalize();
        components = components.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(components);
        serviceJvmArgs = List.copyOf(serviceJvmArgs);
        Map<Component, Map<String, String>> copy = new LinkedHashMap<>();
        serviceProperties.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        serviceProperties = Map.copyOf(copy);
        Objects.requireNonNull(pebble, "pebble");
    }

    /**
     * The documented defaults: home {@code <repo>/.certflow}, ports of docs/api.md, everything, detached, a fast
     * Pebble (no validation delay, no nonce rejection).
     */
    public static StackConfig defaults(Path repoRoot) {
        return new StackConfig(repoRoot.resolve(".certflow"), repoRoot, Component.ALL, Ports.defaults(),
                DEMO_API_KEY, DEMO_ACCOUNT, DEMO_INTERNAL_TOKEN, true, Duration.ofSeconds(180),
                DEFAULT_SERVICE_JVM_ARGS, Map.of(), PebbleBehaviour.fast());
    }

    /**
     * The defaults with {@code CERTFLOW_HOME} (relative to the repository), the port variables of
     * {@link Ports#fromEnvironment}, and another CA than the local Pebble when {@code CERTFLOW_CA_DIRECTORY_URL}
     * (and, for a CA whose TLS listener is not publicly trusted, {@code CERTFLOW_CA_TRUSTED_CERTIFICATE}) is set.
     */
    public static StackConfig fromEnvironment(Path repoRoot, Map<String, String> env) {
        StackConfig d = defaults(repoRoot);
        String home = env.get("CERTFLOW_HOME");
        Path homePath = home == null || home.isBlank() ? d.home() : repoRoot.resolve(home);
        StackConfig config = d.withHome(homePath).withPorts(Ports.fromEnvironment(env));
        String directory = env.get("CERTFLOW_CA_DIRECTORY_URL");
        if (directory != null && !directory.isBlank()) {
            config = config.withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.ca.directory-url", directory)
                    .withServiceProperty(Component.ISSUANCE_SERVICE, "certflow.issuance.ca.trusted-certificate",
                            env.getOrDefault("CERTFLOW_CA_TRUSTED_CERTIFICATE", ""));
        }
        return config;
    }

    /** For tests: everything under {@code dir}, free ports, attached (stopped when the JVM exits), only the given components. */
    public static StackConfig forTests(Path dir, Set<Component> components) {
        return defaults(locateRepoRoot()).withHome(dir).withPorts(Ports.free()).withDetached(false)
                .withComponents(components).withStartTimeout(Duration.ofSeconds(120));
    }

    public StackConfig withHome(Path newHome) {
        return new StackConfig(newHome, repoRoot, components, ports, apiKey, accountId, internalToken, detached,
                startTimeout, serviceJvmArgs, serviceProperties, pebble);
    }

    public StackConfig withRepoRoot(Path newRepoRoot) {
        return new StackConfig(home, newRepoRoot, components, ports, apiKey, accountId, internalToken, detached,
                startTimeout, serviceJvmArgs, serviceProperties, pebble);
    }

    public StackConfig withPorts(Ports newPorts) {
        return new StackConfig(home, repoRoot, components, newPorts, apiKey, accountId, internalToken, detached,
                startTimeout, serviceJvmArgs, serviceProperties, pebble);
    }

    public StackConfig withComponents(Set<Component> newComponents) {
        return new StackConfig(home, repoRoot, newComponents, ports, apiKey, accountId, internalToken, detached,
                startTimeout, serviceJvmArgs, serviceProperties, pebble);
    }

    public StackConfig withDetached(boolean newDetached) {
        return new StackConfig(home, repoRoot, components, ports, apiKey, accountId, internalToken, newDetached,
                startTimeout, serviceJvmArgs, serviceProperties, pebble);
    }

    public StackConfig withStartTimeout(Duration newTimeout) {
        return new StackConfig(home, repoRoot, components, ports, apiKey, accountId, internalToken, detached,
                newTimeout, serviceJvmArgs, serviceProperties, pebble);
    }

    public StackConfig withServiceJvmArgs(List<String> args) {
        return new StackConfig(home, repoRoot, components, ports, apiKey, accountId, internalToken, detached,
                startTimeout, args, serviceProperties, pebble);
    }

    /** Adds {@code --key=value} to one service's command line. */
    public StackConfig withServiceProperty(Component service, String key, String value) {
        if (!service.isService()) {
            throw new IllegalArgumentException(service + " is not a service");
        }
        Map<Component, Map<String, String>> copy = new LinkedHashMap<>();
        serviceProperties.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
        copy.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(key, value);
        return new StackConfig(home, repoRoot, components, ports, apiKey, accountId, internalToken, detached,
                startTimeout, serviceJvmArgs, copy, pebble);
    }

    /** How the local Pebble behaves ({@link PebbleBehaviour#fast()} unless set). */
    public StackConfig withPebble(PebbleBehaviour newPebble) {
        return new StackConfig(home, repoRoot, components, ports, apiKey, accountId, internalToken, detached,
                startTimeout, serviceJvmArgs, serviceProperties, newPebble);
    }

    public Path logsDir() {
        return home.resolve("logs");
    }

    public Path dataDir() {
        return home.resolve("data");
    }

    public Path runDir() {
        return home.resolve("run");
    }

    public Path logFile(Component component) {
        return logsDir().resolve(component.id() + ".log");
    }

    public Path pidFile(Component component) {
        return runDir().resolve(component.id() + ".pid");
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + ports.kafka();
    }

    /** {@code mongodb://127.0.0.1:<port>/certflow-<short>}; the service's own database. */
    public String mongoUri(Component service) {
        return "mongodb://127.0.0.1:" + ports.mongo() + "/certflow-" + service.shortName();
    }

    /** {@code http://127.0.0.1:<port>} of a service. */
    public String serviceUrl(Component service) {
        return "http://127.0.0.1:" + ports.of(service);
    }

    /** {@code https://localhost:<port>/dir}. */
    public String pebbleDirectoryUrl() {
        return "https://localhost:" + ports.pebble() + "/dir";
    }

    /**
     * The folder holding the runtime classpath of the Kafka and Mongo wire server processes
     * ({@code devstack/target/lib}, filled by {@code mvn package}).
     */
    public Path libDir() {
        Path beside = codeSource().getParent();
        if (beside != null && beside.getFileName() != null && beside.getFileName().toString().equals("target")
                && Files.isDirectory(beside.resolve("lib"))) {
            return beside.resolve("lib");
        }
        return repoRoot.resolve("devstack/target/lib");
    }

    /** Where this module's classes are (a jar or {@code target/classes}): put on the Mongo wire server's classpath. */
    public static Path codeSource() {
        try {
            return Path.of(StackConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new DevstackException("cannot locate devstack classes", e);
        }
    }

    /**
     * The repository root: {@code -Dcertflow.repo.root}, {@code CERTFLOW_REPO_ROOT}, else the first folder
     * above the working directory, then above this module's classes, that has {@code devstack/pom.xml}.
     */
    public static Path locateRepoRoot() {
        String explicit = System.getProperty("certflow.repo.root", System.getenv("CERTFLOW_REPO_ROOT"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        for (Path start : List.of(Path.of("").toAbsolutePath(), codeSource())) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("devstack/pom.xml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    return p;
                }
            }
        }
        throw new DevstackException("cannot find the certflow repository root (a folder with devstack/pom.xml);"
                + " set CERTFLOW_REPO_ROOT");
    }
}
