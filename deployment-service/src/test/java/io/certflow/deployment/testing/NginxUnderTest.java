package io.certflow.deployment.testing;

import io.certflow.deployment.tls.ServedCertificateReader;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx ({@code /usr/sbin/nginx}) for tests: its own prefix, configuration, pid file, logs and
 * certificate files in a temp directory, in the foreground ({@code daemon off}) so the test owns the process,
 * listening with TLS on a free loopback port for {@link #SERVER_NAME}.
 */
public final class NginxUnderTest implements AutoCloseable {

    public static final String NGINX = "/usr/sbin/nginx";
    public static final String SERVER_NAME = "www.deploy.certflow.test";

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxUnderTest(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Whether nginx can run here. */
    public static boolean available() {
        return Files.isExecutable(Path.of(NGINX));
    }

    /** Starts nginx serving {@code initial} and waits until it answers. */
    public static NginxUnderTest start(TestCertificates.Issued initial) throws Exception {
        Path dir = Files.createTempDirectory("certflow-nginx-");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(certs.resolve("site.crt"), initial.chainPem());
        Files.writeString(certs.resolve("site.key"), initial.keyPem());
        int port = freePort();
        String conf = """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log notice;
                events { worker_connections 64; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  server {
                    listen 127.0.0.1:%2$d ssl;
                    server_name %3$s;
                    ssl_certificate %1$s/certs/site.crt;
                    ssl_certificate_key %1$s/certs/site.key;
                    return 200 "ok\\n";
                  }
                }
                """.formatted(dir, port, SERVER_NAME);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Process process = new ProcessBuilder(NGINX, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                .start();
        NginxUnderTest nginx = new NginxUnderTest(dir, port, process);
        ServedCertificateReader reader = new ServedCertificateReader(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = Files.readString(dir.resolve("logs/stdout.log"));
                nginx.close();
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + log);
            }
            if (reader.read("127.0.0.1", port, SERVER_NAME).known()) {
                return nginx;
            }
            Thread.sleep(100);
        }
        nginx.close();
        throw new IllegalStateException("nginx did not answer on port " + port);
    }

    public int port() {
        return port;
    }

    public String tlsAddress() {
        return "127.0.0.1:" + port;
    }

    public Path certificatePath() {
        return dir.resolve("certs/site.crt");
    }

    public Path keyPath() {
        return dir.resolve("certs/site.key");
    }

    public String reloadCommand() {
        return NGINX + " -p " + dir + " -c " + dir.resolve("nginx.conf") + " -s reload";
    }

    public String testCommand() {
        return NGINX + " -t -q -p " + dir + " -c " + dir.resolve("nginx.conf");
    }

    /** The resource config docs/api.md shows, for this nginx. */
    public java.util.Map<String, String> resourceConfig(boolean withTest) {
        java.util.Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("certificatePath", certificatePath().toString());
        config.put("keyPath", keyPath().toString());
        config.put("reloadCommand", reloadCommand());
        if (withTest) {
            config.put("testCommand", testCommand());
        }
        config.put("tlsAddress", tlsAddress());
        config.put("serverName", SERVER_NAME);
        return config;
    }

    /** Stops nginx (fast shutdown, then kill) and removes its directory. */
    @Override
    public void close() throws Exception {
        java.util.List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        // workers exit with their master; make sure none is left behind
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
