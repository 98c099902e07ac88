package io.certflow.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Pebble 2.4, the ACME test CA. Its HTTPS listener certificate names {@code localhost} and 127.0.0.1 and is
 * signed by a local CA whose PEM ({@link #caCertificate()}) issuance-service trusts per CA profile
 * ({@code certflow.issuance.ca.trusted-certificate}). DNS-01 is validated against {@link BindProcess}.
 * Pebble keeps its state in memory: ACME accounts and orders are lost when it restarts. How hostile it is
 * (random validation delay, {@code badNonce} rate) comes from {@link StackConfig#pebble()}.
 */
public class PebbleProcess extends ManagedProcess {

    public PebbleProcess(StackConfig config) {
        super(config, Component.PEBBLE);
    }

    public Path workDir() {
        return config.dataDir().resolve("pebble");
    }

    /** The PEM of the CA that signed Pebble's HTTPS listener certificate: what an ACME client must trust. */
    public Path caCertificate() {
        return workDir().resolve("listener-ca.pem");
    }

    public Path listenerCertificate() {
        return workDir().resolve("listener-cert.pem");
    }

    public Path listenerKey() {
        return workDir().resolve("listener-key.pem");
    }

    public Path configFile() {
        return workDir().resolve("pebble-config.json");
    }

    /** {@code https://localhost:<port>/dir}. */
    public String directoryUrl() {
        return config.pebbleDirectoryUrl();
    }

    /** {@code https://localhost:<management port>}: {@code /roots/0} is the root of the certificates it issues. */
    public String managementUrl() {
        return "https://localhost:" + config.ports().pebbleManagement();
    }

    /** Trusts {@link #caCertificate()} only. */
    public SSLContext sslContext() {
        return Pki.sslContextTrusting(caCertificate());
    }

    /** The PEM of the root that signs the certificates Pebble issues (changes at every Pebble start). */
    public String issuingRootPem() {
        return get(managementUrl() + "/roots/0");
    }

    /**
     * The PEM of root {@code index}: 0 is the default chain's, 1… those of the alternate chains
     * ({@link PebbleBehaviour#alternateRoots()}).
     */
    public String rootPem(int index) {
        return get(managementUrl() + "/roots/" + index);
    }

    /** The ACME directory JSON. */
    public String directoryJson() {
        return get(directoryUrl());
    }

    @Override
    protected List<int[]> portsToCheck() {
        return List.of(new int[] {port(), 0}, new int[] {config.ports().pebbleManagement(), 0});
    }

    @Override
    protected void checkPrerequisites() {
        Binaries.require(Binaries.PEBBLE);
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(workDir());
        if (!Files.exists(caCertificate()) || !Files.exists(listenerCertificate()) || !Files.exists(listenerKey())) {
            Pki.Issued ca = Pki.newCa("certflow devstack Pebble listener CA", Duration.ofDays(3650));
            Pki.Issued leaf = Pki.newServerCertificate(ca, List.of("localhost"), List.of("127.0.0.1", "::1"),
                    Duration.ofDays(3650));
            Pki.writePem(caCertificate(), ca.certificate());
            Pki.writePem(listenerCertificate(), leaf.certificate(), ca.certificate());
            Pki.writePem(listenerKey(), leaf.privateKey());
        }
        Files.writeString(configFile(), """
                {
                  "pebble": {
                    "listenAddress": "127.0.0.1:%d",
                    "managementListenAddress": "127.0.0.1:%d",
                    "certificate": "%s",
                    "privateKey": "%s",
                    "httpPort": 5002,
                    "tlsPort": 5001,
                    "ocspResponderURL": "",
                    "externalAccountBindingRequired": %s,
                    "externalAccountMACKeys": %s,
                    "certificateValidityPeriod": %d
                  }
                }
                """.formatted(port(), config.ports().pebbleManagement(), listenerCertificate(), listenerKey(),
                config.pebble().externalAccountBindingRequired(), macKeysJson(config.pebble().externalAccountMacKeys()),
                CERTIFICATE_VALIDITY.toSeconds()));
    }

    /** The EAB keys as a JSON object (key ids and base64url keys carry no characters that need escaping). */
    static String macKeysJson(Map<String, String> macKeys) {
        for (Map.Entry<String, String> e : macKeys.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.-]+") || !e.getValue().matches("[A-Za-z0-9_-]+=*")) {
                throw new IllegalArgumentException("EAB key id and HMAC key must be plain base64url text: " + e.getKey());
            }
        }
        return macKeys.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
    }

    /** Lifetime of the certificates Pebble issues: today's public maximum, so renewal timing looks real. */
    static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(200);

    @Override
    protected List<String> command() {
        return List.of(Binaries.require(Binaries.PEBBLE).toString(), "-config", configFile().toString(),
                "-dnsserver", "127.0.0.1:" + config.ports().bind());
    }

    @Override
    protected Map<String, String> environment() {
        return environment(config.pebble());
    }

    /**
     * The variables for a behaviour. With the validation delay on, {@code PEBBLE_VA_NOSLEEP} is set to {@code 0}
     * (Pebble only skips the sleep for {@code 1}/{@code true}) so that a value inherited from the caller's
     * environment cannot turn the delay off. {@code PEBBLE_AUTHZREUSE} is {@code 0}: every order gets new
     * authorizations and goes through its challenges (Pebble reuses half of the valid ones by default, which left a
     * renewal's challenge — and the tests that stop a service at it — to chance).
     */
    static Map<String, String> environment(PebbleBehaviour behaviour) {
        return Map.of("PEBBLE_VA_NOSLEEP", behaviour.validationDelay() ? "0" : "1", "PEBBLE_AUTHZREUSE", "0",
                "PEBBLE_WFE_NONCEREJECT", Integer.toString(behaviour.nonceRejectPercent()),
                "PEBBLE_ALTERNATE_ROOTS", Integer.toString(behaviour.alternateRoots()),
                "PEBBLE_CHAIN_LENGTH", Integer.toString(behaviour.chainLength()));
    }

    @Override
    protected Path workingDirectory() {
        return workDir();
    }

    @Override
    protected String readinessDescription() {
        return "GET " + directoryUrl();
    }

    @Override
    protected boolean isReady() {
        if (!Ports.isListening(port())) {
            return false;
        }
        return directoryJson().contains("newOrder");
    }

    private String get(String url) {
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new DevstackException("GET " + url + " answered " + r.statusCode() + "; see " + logFile());
            }
            return r.body();
        } catch (IOException e) {
            throw new DevstackException("GET " + url + " failed: " + e.getMessage() + "; see " + logFile(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }
}
