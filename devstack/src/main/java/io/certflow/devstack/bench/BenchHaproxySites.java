package io.certflow.devstack.bench;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.Pki;
import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.TlsProbe;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy as {@code ./certflow bench deploy --type haproxy} runs it: one process in the foreground ({@code -db}),
 * an admin socket ({@code level admin}), one TLS {@code bind} loading N certificate files from a {@code crt-list}
 * whose lines pin each file to its name by an SNI filter ({@code s<i>.pem s<i>.bench.certflow.test}). The filter is
 * what lets one certificate (a wildcard) be deployed to N files: HAProxy would otherwise pick among N certificates
 * covering the same name. Each file first holds a self-signed certificate of its own.
 */
final class BenchHaproxySites implements DeploySites {

    private static final String BINARY = "haproxy";

    private final StackConfig config;
    private final int sites;
    private final int port;
    private Process process;

    BenchHaproxySites(StackConfig config, int sites) {
        this.config = config;
        this.sites = sites;
        this.port = config.ports().nginx(); // nginx does not run beside it
    }

    @Override
    public Path directory() {
        return config.dataDir().resolve("haproxy");
    }

    Path certificatePath(int i) {
        return directory().resolve("certs").resolve("s" + i + ".pem");
    }

    Path adminSocket() {
        return directory().resolve("admin.sock");
    }

    private Path configFile() {
        return directory().resolve("haproxy.cfg");
    }

    private Path crtList() {
        return directory().resolve("crt-list.txt");
    }

    private Path logFile() {
        return config.logsDir().resolve("haproxy.log");
    }

    @Override
    public String type() {
        return "haproxy";
    }

    @Override
    public String describe() {
        return String.format("%s, one process (`nbthread` default), %d certificates on one `bind 127.0.0.1:%d ssl "
                + "crt-list`, each line a file of its own pinned to `s<i>.%s` by an SNI filter; admin socket "
                + "`level admin`", version(), sites, port, ZONE);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String allowedDirectoriesProperty() {
        return "certflow.deployment.haproxy.allowed-directories";
    }

    @Override
    public Map<String, String> resourceConfig(int i) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("certificatePath", certificatePath(i).toString());
        c.put("adminSocket", adminSocket().toString());
        c.put("tlsAddress", "127.0.0.1:" + port);
        c.put("serverName", DeploySites.serverName(i));
        return c;
    }

    @Override
    public Optional<ProcessHandle> handle() {
        return process != null && process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
    }

    /** HAProxy takes certificates over its runtime API: it never reloads. */
    @Override
    public long reloads() {
        return -1;
    }

    @Override
    public void start() {
        Path haproxy = Binaries.find(BINARY).orElseThrow(() -> new DevstackException("haproxy not found: install the"
                + " Debian package haproxy (apt-get install -y haproxy)"));
        Ports.requireFree(port, false, "haproxy");
        try {
            Files.createDirectories(certificatePath(0).getParent());
            Files.createDirectories(config.logsDir());
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < sites; i++) {
                Pki.Issued self = Pki.newServerCertificate(null, List.of(DeploySites.serverName(i)), List.of(),
                        Duration.ofDays(30));
                Pki.writePem(certificatePath(i), self.certificate(), self.privateKey());
                list.append(certificatePath(i)).append(' ').append(DeploySites.serverName(i)).append('\n');
            }
            Files.writeString(crtList(), list.toString());
            Files.deleteIfExists(adminSocket());
            Files.writeString(configFile(), String.join("\n",
                    "# written by ./certflow bench deploy",
                    "global",
                    "    stats socket " + adminSocket() + " mode 600 level admin",
                    "    stats timeout 30s",
                    "    maxconn 2000",
                    "",
                    "defaults",
                    "    mode http",
                    "    timeout connect 5s",
                    "    timeout client 10s",
                    "    timeout server 10s",
                    "",
                    "frontend tls",
                    "    bind 127.0.0.1:" + port + " ssl crt-list " + crtList(),
                    "    http-request return status 200",
                    ""));
            Files.writeString(logFile(), "==== ./certflow bench deploy " + Instant.now() + ": " + haproxy + " -f "
                    + configFile() + " -db\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(haproxy.toString(), "-f", configFile().toString(), "-db")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new DevstackException("bench deploy: cannot start haproxy: " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(config.startTimeout());
        while (true) {
            if (!process.isAlive()) {
                throw new DevstackException("haproxy exited with code " + process.exitValue() + " while starting; see "
                        + logFile());
            }
            if (Files.exists(adminSocket()) && Ports.isListening(port)) {
                try {
                    TlsProbe.servedCertificate("127.0.0.1", port, DeploySites.serverName(sites - 1));
                    return;
                } catch (DevstackException e) {
                    // not yet
                }
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new DevstackException("haproxy did not serve TLS on 127.0.0.1:" + port + " within "
                        + config.startTimeout().toSeconds() + " s; see " + logFile());
            }
            ManagedProcess.sleep(100);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder(Binaries.require(BINARY).toString(), "-v").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            String[] f = text.split("\\s+");
            return f.length > 2 ? "HAProxy " + f[2] : "HAProxy";
        } catch (IOException | RuntimeException e) {
            return "HAProxy";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "HAProxy";
        }
    }
}
