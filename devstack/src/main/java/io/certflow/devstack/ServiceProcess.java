package io.certflow.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One certflow service: {@code java -jar <module>/target/<module>-<version>.jar --key=value …}, wired to
 * this stack's Kafka, its own database on the Mongo wire server, the demo API key and internal token, plus
 * the service's own settings (resolver, CA directory and trust, key-encryption key, CAA pre-check against
 * BIND, issuance URL).
 * Ready when {@code GET /actuator/health} answers 200 with {@code UP}.
 */
public class ServiceProcess extends ManagedProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The issuer domain name devstack's Pebble answers to in CAA records (the demo zone forbids no CA). */
    public static final String PEBBLE_CAA_IDENTITY = "pebble.certflow.test";

    /** The name the stack's API key is configured under ({@code certflow.security.api-keys.<name>}). */
    public static final String API_KEY_NAME = "devstack";
    /** The name of the stack's operator key ({@link StackConfig#DEMO_OPERATOR_KEY}): the console's dashboards, replay. */
    public static final String OPERATOR_KEY_NAME = "devstack-operator";

    private final String instance;
    private final int instancePort;

    public ServiceProcess(StackConfig config, Component service) {
        this(config, service, null, 0);
    }

    private ServiceProcess(StackConfig config, Component service, String instance, int instancePort) {
        super(config, service);
        if (!service.isService()) {
            throw new IllegalArgumentException(service + " is not a service");
        }
        this.instance = instance;
        this.instancePort = instancePort;
    }

    /**
     * Another instance of the same service on the same Kafka and database (same consumer group, same
     * key-encryption key): its own port, log ({@code logs/<id>-<name>.log}) and pid file. For tests of two
     * instances side by side.
     *
     * @param name a short name, e.g. {@code b}
     * @param port the instance's HTTP port
     */
    public static ServiceProcess instance(StackConfig config, Component service, String name, int port) {
        if (name == null || !name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("instance name must be [a-z0-9-]+, not " + name);
        }
        return new ServiceProcess(config, service, name, port);
    }

    @Override
    public int port() {
        return instance == null ? super.port() : instancePort;
    }

    @Override
    public Path logFile() {
        return instance == null ? super.logFile() : config.logsDir().resolve(component.id() + "-" + instance + ".log");
    }

    @Override
    public Path pidFile() {
        return instance == null ? super.pidFile() : config.runDir().resolve(component.id() + "-" + instance + ".pid");
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return instance == null ? config.serviceUrl(component) : "http://127.0.0.1:" + instancePort;
    }

    /** The executable jar built by Maven ({@code spring-boot:repackage}). */
    public Path jar() {
        Path target = config.repoRoot().resolve(component.moduleName()).resolve("target");
        String prefix = component.moduleName() + "-";
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                return files.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-sources.jar")
                            && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar") && !n.endsWith("-plain.jar");
                }).sorted().findFirst().orElse(target.resolve(prefix + "0.1.0-SNAPSHOT.jar"));
            } catch (IOException e) {
                throw new DevstackException("cannot list " + target, e);
            }
        }
        return target.resolve(prefix + "0.1.0-SNAPSHOT.jar");
    }

    /** The {@code --key=value} properties this service is started with. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", Integer.toString(port()));
        p.put("spring.kafka.bootstrap-servers", config.kafkaBootstrapServers());
        if (component != Component.CONSOLE) { // the console owns no database
            p.put("spring.data.mongodb.uri", config.mongoUri(component));
        }
        // the services hold only the key's hash; the key itself stays with the stack's clients
        p.put("certflow.security.api-keys." + API_KEY_NAME + ".sha256", sha256(config.apiKey()));
        p.put("certflow.security.api-keys." + API_KEY_NAME + ".account", config.accountId());
        p.put("certflow.security.api-keys." + OPERATOR_KEY_NAME + ".sha256", sha256(StackConfig.DEMO_OPERATOR_KEY));
        p.put("certflow.security.api-keys." + OPERATOR_KEY_NAME + ".role", "OPERATOR");
        // the benches send thousands of requests with the one demo key
        p.put("certflow.security.rate-limit.requests-per-second", "0");
        p.put("certflow.security.internal-token", config.internalToken());
        switch (component) {
            case VERIFICATION_SERVICE -> {
                p.put("certflow.verification.delegation-zone", StackConfig.DELEGATION_ZONE);
                p.put("certflow.verification.dns.port", Integer.toString(config.ports().certflowDns()));
                p.put("certflow.verification.dns.address", "127.0.0.1");
                p.put("certflow.verification.resolver", "127.0.0.1:" + config.ports().bind());
                p.put("certflow.verification.lookup.authoritative-port", Integer.toString(config.ports().bind()));
                p.put("certflow.verification.key-encryption-key", verificationKeyEncryptionKey(config));
            }
            case ISSUANCE_SERVICE -> {
                p.put("certflow.issuance.ca.directory-url", config.pebbleDirectoryUrl());
                p.put("certflow.issuance.ca.trusted-certificate", new PebbleProcess(config).caCertificate().toString());
                p.put("certflow.issuance.key-encryption-key", keyEncryptionKey(config));
                p.put("certflow.issuance.caa.resolver", "127.0.0.1:" + config.ports().bind());
                if (!config.serviceProperties().getOrDefault(component, Map.of())
                        .containsKey("certflow.issuance.ca.directory-url")) {
                    // Pebble publishes no CAA identity; another CA's comes from its directory
                    p.put("certflow.issuance.ca.caa-identities", PEBBLE_CAA_IDENTITY);
                }
                // the stack's CA is Pebble (behind a gate in tests and the soak), which limits nothing: Let's
                // Encrypt's 300 new orders per 3 h (the default) would hold a soak of 300 certificates for hours
                p.put("certflow.issuance.rate-limit.new-orders", "1000000");
            }
            case DEPLOYMENT_SERVICE -> {
                p.put("certflow.deployment.issuance-url", config.serviceUrl(Component.ISSUANCE_SERVICE));
                p.put("certflow.deployment.internal-token", config.internalToken());
                p.put("certflow.deployment.key-encryption-key", deploymentKeyEncryptionKey(config));
                NginxProcess nginx = new NginxProcess(config);
                p.put("certflow.deployment.nginx.allowed-directories", nginx.certificatePath().getParent().toString());
                String nginxBinary = Binaries.find(Binaries.NGINX).map(Path::toString).orElse("/usr/sbin/nginx");
                p.put("certflow.deployment.nginx.allowed-executables",
                        nginxBinary.equals("/usr/sbin/nginx") ? "nginx,/usr/sbin/nginx" : "nginx,/usr/sbin/nginx," + nginxBinary);
            }
            case CONSOLE -> {
                p.put("certflow.console.ops.replay-keys", OPERATOR_KEY_NAME);
                for (Component service : Component.SERVICES) {
                    p.put("certflow.console.services." + service.shortName(), config.serviceUrl(service));
                }
            }
            default -> {
            }
        }
        p.putAll(config.serviceProperties().getOrDefault(component, Map.of()));
        return p;
    }

    /**
     * The base64 of 32 random bytes issuance-service wraps private keys with: generated once per data folder
     * ({@code data/issuance-key-encryption-key}) so that stored keys stay readable across restarts.
     */
    public static String keyEncryptionKey(StackConfig config) {
        return SecretFiles.readOrCreate(config.dataDir().resolve("issuance-key-encryption-key"));
    }

    /**
     * The base64 of 32 random bytes verification-service seals the accounts' DNS provider credentials with: generated
     * once per data folder ({@code data/verification-key-encryption-key}).
     */
    public static String verificationKeyEncryptionKey(StackConfig config) {
        return SecretFiles.readOrCreate(config.dataDir().resolve("verification-key-encryption-key"));
    }

    /**
     * The base64 of 32 random bytes deployment-service seals the accounts' target credentials (cloud keys, SSH keys,
     * tokens) with: generated once per data folder ({@code data/deployment-key-encryption-key}).
     */
    public static String deploymentKeyEncryptionKey(StackConfig config) {
        return SecretFiles.readOrCreate(config.dataDir().resolve("deployment-key-encryption-key"));
    }

    @Override
    protected void checkPrerequisites() {
        if (!Files.isRegularFile(jar())) {
            throw new DevstackException(component.id() + " jar " + jar() + " is missing: build it first"
                    + " (./mvnw -B -q -DskipTests package, or ./certflow up --build)");
        }
    }

    @Override
    protected List<int[]> portsToCheck() {
        if (component == Component.VERIFICATION_SERVICE) {
            return List.of(new int[] {port(), 0}, new int[] {config.ports().certflowDns(), 1});
        }
        return super.portsToCheck();
    }

    /**
     * The copy of {@link #jar()} the process runs ({@code run/jars/}): rebuilding the module while the stack
     * runs rewrites the jar in place, which breaks a JVM that still loads classes from it.
     */
    public Path runningJar() {
        return config.runDir().resolve("jars").resolve(component.moduleName()
                + (instance == null ? "" : "-" + instance) + ".jar");
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(runningJar().getParent());
        Path source = jar();
        Path copy = runningJar();
        if (!Files.exists(copy) || Files.size(copy) != Files.size(source)
                || !Files.getLastModifiedTime(copy).equals(Files.getLastModifiedTime(source))) {
            Path tmp = copy.resolveSibling(copy.getFileName() + ".tmp");
            Files.copy(source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(tmp, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(config.serviceJvmArgs());
        cmd.add("-Dcertflow.devstack.component=" + component.id());
        cmd.add("-Dcertflow.devstack.jar=" + jar());
        cmd.add("-jar");
        cmd.add(runningJar().toString());
        properties().forEach((k, v) -> {
            if (!isSecret(k)) {
                cmd.add("--" + k + "=" + v);
            }
        });
        return cmd;
    }

    /**
     * Secrets (key-encryption key, tokens) go in {@code SPRING_APPLICATION_JSON}, not on the command line,
     * so that neither {@code ps} nor the log header shows them.
     */
    @Override
    protected Map<String, String> environment() {
        Map<String, String> secrets = new LinkedHashMap<>();
        properties().forEach((k, v) -> {
            if (isSecret(k)) {
                secrets.put(k, v);
            }
        });
        try {
            return Map.of("SPRING_APPLICATION_JSON", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(secrets));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DevstackException("cannot write SPRING_APPLICATION_JSON", e);
        }
    }

    /** The lower-case hex SHA-256 of an API key, as the services are configured with it. */
    static String sha256(String apiKey) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(apiKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static boolean isSecret(String property) {
        String p = property.toLowerCase(java.util.Locale.ROOT);
        return p.contains("key-encryption-key") || p.contains("token") || p.contains("secret") || p.contains("password");
    }

    @Override
    protected long readinessPollMillis() {
        return 1000;
    }

    @Override
    protected String readinessDescription() {
        return "GET " + baseUrl() + "/actuator/health = 200 UP";
    }

    @Override
    protected boolean isReady() throws IOException, InterruptedException {
        if (!Ports.isListening(port())) {
            return false;
        }
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && r.body().contains("UP");
    }

    /** One health probe, for {@code status}. */
    public boolean isHealthy() {
        try {
            return isReady();
        } catch (Exception e) {
            return false;
        }
    }
}
