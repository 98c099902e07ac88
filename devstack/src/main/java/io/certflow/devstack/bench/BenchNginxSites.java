package io.certflow.devstack.bench;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.Pki;
import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * nginx as {@code ./certflow bench deploy} runs it: one master and one worker (as devstack's nginx), N
 * {@code server} blocks on one {@code listen} address, {@code server_name s<i>.bench.certflow.test}, each with its
 * own {@code ssl_certificate} and {@code ssl_certificate_key} file, first a self-signed certificate of its own. Its
 * resources carry the settings nginx discovery would give them: a reload and a configuration test command for this
 * nginx ({@code -e stderr}, as discovery writes them).
 */
final class BenchNginxSites extends ManagedProcess implements DeploySites {

    private final List<String> names;
    private final int sites;

    /** {@code sites} sites named {@code s<i>.bench.certflow.test} ({@link DeploySites#serverName}). */
    BenchNginxSites(StackConfig config, int sites) {
        this(config, java.util.stream.IntStream.range(0, sites).mapToObj(DeploySites::serverName).toList());
    }

    /** One site per name, site {@code i} serving {@code names.get(i)}. */
    BenchNginxSites(StackConfig config, List<String> names) {
        super(config, Component.NGINX);
        this.names = List.copyOf(names);
        this.sites = names.size();
    }

    /** The name site {@code i} serves. */
    String name(int i) {
        return names.get(i);
    }

    /** nginx's prefix ({@code -p}). */
    Path prefix() {
        return config.dataDir().resolve("nginx");
    }

    Path confFile() {
        return prefix().resolve("conf/nginx.conf");
    }

    @Override
    public Path directory() {
        return prefix().resolve("certs");
    }

    Path certificatePath(int i) {
        return directory().resolve("s" + i + ".crt");
    }

    Path keyPath(int i) {
        return directory().resolve("s" + i + ".key");
    }

    Path errorLog() {
        return config.logsDir().resolve("nginx-error.log");
    }

    @Override
    public String type() {
        return "nginx";
    }

    @Override
    public String describe() {
        return String.format("%s (one master, one worker), %d `server` blocks on one `listen 127.0.0.1:%d ssl`, "
                + "`server_name` %s…, each its own certificate and key file", version(), sites, port(), name(0));
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String allowedDirectoriesProperty() {
        return "certflow.deployment.nginx.allowed-directories";
    }

    @Override
    public Map<String, String> resourceConfig(int i) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("certificatePath", certificatePath(i).toString());
        c.put("keyPath", keyPath(i).toString());
        c.put("reloadCommand", String.join(" ", command("-s", "reload")));
        c.put("testCommand", String.join(" ", command("-t", "-q")));
        c.put("tlsAddress", "127.0.0.1:" + port());
        c.put("serverName", name(i));
        return c;
    }

    /** nginx with this prefix and configuration, start-up messages to stderr, then {@code action}. */
    List<String> command(String... action) {
        List<String> cmd = new ArrayList<>(List.of(binary(), "-p", prefix() + "/", "-c", confFile().toString(),
                "-e", "stderr"));
        cmd.addAll(List.of(action));
        return cmd;
    }

    private static String binary() {
        return Binaries.require(Binaries.NGINX).toString();
    }

    /** {@code signal 1 (SIGHUP) received …, reconfiguring} lines in the error log: reloads the master did. */
    @Override
    public long reloads() {
        try (var lines = Files.lines(errorLog(), StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("(SIGHUP)") && l.contains("reconfiguring")).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    protected void checkPrerequisites() {
        Binaries.require(Binaries.NGINX);
    }

    @Override
    protected void prepare() throws IOException {
        for (String d : List.of("conf", "certs", "temp/client_body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi")) {
            Files.createDirectories(prefix().resolve(d));
        }
        for (int i = 0; i < sites; i++) {
            Pki.Issued self = Pki.newServerCertificate(null, List.of(name(i)), List.of(),
                    Duration.ofDays(30));
            Pki.writePem(certificatePath(i), self.certificate());
            Pki.writePem(keyPath(i), self.privateKey());
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < sites; i++) {
            servers.append("""
                        server {
                            listen 127.0.0.1:%1$d ssl%2$s;
                            server_name %3$s;
                            ssl_certificate %4$s;
                            ssl_certificate_key %5$s;
                            location / { return 200 "%3$s\\n"; }
                        }
                    """.formatted(port(), i == 0 ? " default_server" : "", name(i),
                    certificatePath(i), keyPath(i)));
        }
        String p = prefix().toString();
        Files.writeString(confFile(), """
                # written by ./certflow bench
                %1$s
                daemon off;
                master_process on;
                worker_processes 1;
                pid %2$s;
                error_log %3$s info;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %4$s/temp/client_body;
                    proxy_temp_path %4$s/temp/proxy;
                    fastcgi_temp_path %4$s/temp/fastcgi;
                    uwsgi_temp_path %4$s/temp/uwsgi;
                    scgi_temp_path %4$s/temp/scgi;
                    default_type text/plain;
                    ssl_protocols TLSv1.2 TLSv1.3;
                %5$s}
                """.formatted(root ? "user root root;" : "", config.runDir().resolve("bench-nginx-master.pid"),
                errorLog(), p, servers));
    }

    @Override
    protected List<String> command() {
        return List.of(binary(), "-p", prefix() + "/", "-c", confFile().toString(), "-e", errorLog().toString());
    }

    @Override
    protected String readinessDescription() {
        return "TLS handshake on 127.0.0.1:" + port() + " for " + name(0);
    }

    @Override
    protected boolean isReady() {
        if (!Ports.isListening(port())) {
            return false;
        }
        TlsProbe.servedCertificate("127.0.0.1", port(), name(sites - 1));
        return true;
    }

    /**
     * What one reload for all sites costs, done by the benchmark itself (not by deployment-service): every site's
     * files written atomically, one configuration test, one reload, then TLS handshakes until every name serves
     * {@code serial}.
     *
     * @param write    files written
     * @param test     {@code nginx -t -q}
     * @param reload   {@code nginx -s reload} (the command; nginx reloads after it returned)
     * @param served   from the reload command's start until every name served the new certificate
     * @param total    from the first file written until every name served it
     * @param allServe whether every name served it before the deadline
     */
    record OneReload(Duration write, Duration test, Duration reload, Duration served, Duration total, boolean allServe) {
    }

    /** See {@link OneReload}. */
    OneReload reloadOnceForAll(String chainPem, String keyPem, String serial, Duration deadline) {
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < sites; i++) {
                writeAtomically(keyPath(i), keyPem, true);
                writeAtomically(certificatePath(i), chainPem, false);
            }
        } catch (IOException e) {
            throw new DevstackException("bench deploy: cannot write the sites' files: " + e.getMessage(), e);
        }
        long t1 = System.nanoTime();
        run(command("-t", "-q"));
        long t2 = System.nanoTime();
        run(command("-s", "reload"));
        long t3 = System.nanoTime();
        boolean[] serves = new boolean[sites];
        int left = sites;
        long end = t2 + deadline.toNanos();
        while (left > 0 && System.nanoTime() < end) {
            for (int i = 0; i < sites; i++) {
                if (!serves[i]) {
                    try {
                        if (serial.equals(TlsProbe.servedSerialHex("127.0.0.1", port(), name(i)))) {
                            serves[i] = true;
                            left--;
                        }
                    } catch (DevstackException e) {
                        // read again on the next round
                    }
                }
            }
            if (left > 0) {
                ManagedProcess.sleep(20);
            }
        }
        long t4 = System.nanoTime();
        return new OneReload(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), Duration.ofNanos(t3 - t2),
                Duration.ofNanos(t4 - t2), Duration.ofNanos(t4 - t0), left == 0);
    }

    private static void writeAtomically(Path file, String content, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".bench-tmp");
        Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
        if (secret) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DevstackException("bench deploy: '" + String.join(" ", command) + "' did not end in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new DevstackException("bench deploy: '" + String.join(" ", command) + "' failed with code "
                        + p.exitValue() + "; see " + logFile());
            }
        } catch (IOException e) {
            throw new DevstackException("bench deploy: cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder(binary(), "-v").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            int slash = text.indexOf("nginx/");
            return slash >= 0 ? text.substring(slash) : "nginx";
        } catch (IOException e) {
            return "nginx";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "nginx";
        }
    }
}
