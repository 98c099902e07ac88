package io.certflow.deployment.testing;

import io.certflow.deployment.tls.ServedCertificateReader;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy 2.6 ({@code /usr/sbin/haproxy}, Debian package {@code haproxy}) as a deployment target of tests:
 * a configuration in a temp directory with an admin socket and one TLS frontend on a free loopback port, run in
 * the foreground ({@code -db}) and killed after the test.
 */
public final class TestHaproxy implements AutoCloseable {

    /** The HAProxy binary. */
    public static final Path EXECUTABLE = Path.of("/usr/sbin/haproxy");
    /** The name clients ask for. */
    public static final String SERVER_NAME = TestNginx.SERVER_NAME;

    private final Path dir;
    private final int port;
    private final int others;
    private Process process;

    private TestHaproxy(Path dir, int port, int others) {
        this.dir = dir;
        this.port = port;
        this.others = others;
    }

    /** Whether HAProxy is installed here. */
    public static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    /**
     * Writes the configuration and {@code initial} under {@code dir}, starts HAProxy and waits until it serves TLS.
     * {@code others} are served on the same address beside it (chosen by SNI), from {@link #otherCertificatePath}.
     */
    public static TestHaproxy start(Path dir, TestCertificates.Issued initial, TestCertificates.Issued... others)
            throws IOException {
        TestHaproxy haproxy = new TestHaproxy(dir, freePort(), others.length);
        Files.createDirectories(haproxy.certificatePath().getParent());
        Files.writeString(haproxy.certificatePath(), initial.chainPem() + initial.keyPem());
        for (int i = 0; i < others.length; i++) {
            Files.writeString(haproxy.otherCertificatePath(i + 1), others[i].chainPem() + others[i].keyPem());
        }
        Files.writeString(haproxy.configFile(), haproxy.config());
        haproxy.start();
        return haproxy;
    }

    /** Starts HAProxy (again) on the files it has, e.g. to show what a restart loads. */
    public void start() throws IOException {
        process = new ProcessBuilder(EXECUTABLE.toString(), "-f", configFile().toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile()))
                .start();
        ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!(Files.exists(adminSocket()) && reader.read("127.0.0.1", port, SERVER_NAME).known())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("HAProxy did not start: " + log());
            }
            sleep(50);
        }
    }

    /** Kills HAProxy and waits for it to end. */
    public void stop() {
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
        try {
            Files.deleteIfExists(adminSocket());
        } catch (IOException e) {
            // a stale socket only matters to the next start, which HAProxy replaces anyway
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The combined PEM the frontend loads. */
    public Path certificatePath() {
        return dir.resolve("certs").resolve("site.pem");
    }

    /** The combined PEM of the {@code n}th (from 1) other certificate given to {@link #start}. */
    public Path otherCertificatePath(int n) {
        return dir.resolve("certs").resolve("other-" + n + ".pem");
    }

    /** The admin socket. */
    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    /** Where HAProxy serves TLS. */
    public String tlsAddress() {
        return "127.0.0.1:" + port;
    }

    /** The directory every file of this HAProxy is in. */
    public Path directory() {
        return dir;
    }

    /** The resource config docs/api.md shows, for this HAProxy. */
    public Map<String, String> resourceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("certificatePath", certificatePath().toString());
        config.put("adminSocket", adminSocket().toString());
        config.put("tlsAddress", tlsAddress());
        config.put("serverName", SERVER_NAME);
        return config;
    }

    /** What HAProxy wrote to its output so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("haproxy.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Path configFile() {
        return dir.resolve("haproxy.cfg");
    }

    private String config() {
        return String.join("\n",
                "global",
                "    stats socket " + adminSocket() + " mode 600 level admin",
                "    crt-base " + certificatePath().getParent(),
                "",
                "defaults",
                "    mode http",
                "    timeout connect 5s",
                "    timeout client 5s",
                "    timeout server 5s",
                "",
                "frontend tls",
                "    bind 127.0.0.1:" + port + " ssl crt " + certificatePath() + otherCrts(),
                "    http-request return status 200",
                "");
    }

    private String otherCrts() {
        StringBuilder crts = new StringBuilder();
        for (int n = 1; n <= others; n++) {
            crts.append(" crt ").append(otherCertificatePath(n));
        }
        return crts.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
