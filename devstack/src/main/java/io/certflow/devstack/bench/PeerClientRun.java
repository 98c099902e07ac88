package io.certflow.devstack.bench;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The ACME clients people use today, issuing the same kind of certificate against the same Pebble and the same
 * BIND: {@code lego} (its {@code rfc2136} DNS provider) and {@code certbot} (its {@code dns-rfc2136} plugin), each
 * run once per name as a person or a cron job would, {@code parallel} at a time. Exists so that the platform's
 * figures are printed beside theirs, measured the same day on the same machine.
 */
public final class PeerClientRun {

    /** One peer client. */
    public enum Client {
        LEGO("lego"), CERTBOT("certbot");

        private final String binary;

        Client(String binary) {
            this.binary = binary;
        }

        public String binary() {
            return binary;
        }

        /** Whether the client is installed here (Debian packages {@code lego}; {@code certbot python3-certbot-dns-rfc2136}). */
        public boolean installed() {
            return Files.isExecutable(Path.of("/usr/bin", binary));
        }
    }

    /** What one client measured. */
    public record Result(Client client, int requested, int issued, int parallel, Duration wallClock,
                         Latencies latencies, List<String> failures) {
        public double perSecond() {
            return wallClock.isZero() ? 0 : issued / (wallClock.toMillis() / 1000.0);
        }
    }

    private final StackConfig config;
    private final Path workDir;

    public PeerClientRun(StackConfig config, Path workDir) {
        this.config = config;
        this.workDir = workDir;
    }

    /** Issues {@code count} single-name EC P-256 certificates with {@code client}, {@code parallel} processes at once. */
    public Result run(Client client, int count, int parallel) {
        if (!client.installed()) {
            throw new DevstackException(client.binary() + " is not installed");
        }
        String run = client.binary().charAt(0) + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        // one state folder per concurrent process, as on separate machines: certbot locks its folder, so two
        // processes cannot share one; each folder's account is registered before the clock starts, as the
        // platform's is
        BlockingQueue<Path> slots = new ArrayBlockingQueue<>(parallel);
        for (int k = 0; k < parallel; k++) {
            Path slot = workDir.resolve(run).resolve("w" + k);
            try {
                Files.createDirectories(slot);
            } catch (IOException e) {
                throw new DevstackException("cannot prepare " + slot + ": " + e.getMessage(), e);
            }
            String failure = issueOne(client, slot, run + "-warmup" + k + "." + zone());
            if (failure != null) {
                throw new DevstackException(client.binary() + " could not issue its warm-up certificate: " + failure);
            }
            slots.add(slot);
        }
        Latencies latencies = new Latencies();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        Instant start = Instant.now();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = run + "-" + i + "." + zone();
            runs.add(pool.submit(() -> {
                Path slot = slots.take();
                try {
                    Instant t0 = Instant.now();
                    String failure = issueOne(client, slot, name);
                    if (failure == null) {
                        latencies.add(Duration.between(t0, Instant.now()));
                    } else {
                        failures.add(name + ": " + failure);
                    }
                } finally {
                    slots.add(slot);
                }
                return null;
            }));
        }
        pool.shutdown();
        for (Future<?> f : runs) {
            try {
                f.get();
            } catch (Exception e) {
                failures.add(e.getMessage());
            }
        }
        return new Result(client, count, latencies.count(), parallel, Duration.between(start, Instant.now()), latencies,
                List.copyOf(failures));
    }

    /** Runs the client once for {@code name}; null on success, else the tail of its output. */
    private String issueOne(Client client, Path dir, String name) {
        ProcessBuilder pb = new ProcessBuilder(command(client, dir, name)).redirectErrorStream(true);
        pb.environment().putAll(environment(client));
        Path log = dir.resolve(name + ".log");
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "timed out";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            List<String> lines = Files.readAllLines(log);
            return "exit " + p.exitValue() + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private List<String> command(Client client, Path dir, String name) {
        BindProcess bind = new BindProcess(config);
        String directory = new PebbleProcess(config).directoryUrl();
        return switch (client) {
            case LEGO -> List.of("lego", "--server", directory, "--accept-tos", "--email", "bench@certflow.test",
                    "--key-type", "ec256", "--dns", "rfc2136", "--dns.resolvers", bind.address(), "--dns.disable-cp",
                    "--path", dir.resolve("lego").toString(), "-d", name, "run");
            case CERTBOT -> List.of("certbot", "certonly", "--non-interactive", "--agree-tos", "-m", "bench@certflow.test",
                    "--server", directory, "--key-type", "ecdsa", "--elliptic-curve", "secp256r1",
                    "--dns-rfc2136", "--dns-rfc2136-credentials", certbotCredentials(dir).toString(),
                    "--dns-rfc2136-propagation-seconds", "0", "--no-random-sleep-on-renew",
                    "--config-dir", dir.resolve("certbot/config").toString(),
                    "--work-dir", dir.resolve("certbot/work-" + name).toString(),
                    "--logs-dir", dir.resolve("certbot/logs-" + name).toString(), "-d", name);
        };
    }

    private Map<String, String> environment(Client client) {
        BindProcess bind = new BindProcess(config);
        String pebbleCa = new PebbleProcess(config).caCertificate().toString();
        Map<String, String> env = new HashMap<>();
        switch (client) {
            case LEGO -> {
                env.put("LEGO_CA_CERTIFICATES", pebbleCa);
                env.put("RFC2136_NAMESERVER", bind.address());
                env.put("RFC2136_TSIG_KEY", BindProcess.TSIG_KEY_NAME);
                env.put("RFC2136_TSIG_SECRET", bind.tsigSecret());
                env.put("RFC2136_TSIG_ALGORITHM", BindProcess.TSIG_ALGORITHM + ".");
                env.put("RFC2136_TTL", "60");
                env.put("RFC2136_PROPAGATION_TIMEOUT", "60");
                env.put("RFC2136_POLLING_INTERVAL", "1");
            }
            case CERTBOT -> env.put("REQUESTS_CA_BUNDLE", pebbleCa);
        }
        return env;
    }

    private Path certbotCredentials(Path dir) {
        BindProcess bind = new BindProcess(config);
        Path file = dir.resolve("rfc2136.ini");
        if (!Files.exists(file)) {
            try {
                Files.writeString(file, """
                        dns_rfc2136_server = 127.0.0.1
                        dns_rfc2136_port = %d
                        dns_rfc2136_name = %s
                        dns_rfc2136_secret = %s
                        dns_rfc2136_algorithm = %s
                        """.formatted(bind.port(), BindProcess.TSIG_KEY_NAME, bind.tsigSecret(),
                        BindProcess.TSIG_ALGORITHM.toUpperCase(java.util.Locale.ROOT)));
                file.toFile().setReadable(false, false);
                file.toFile().setReadable(true, true);
            } catch (IOException e) {
                throw new DevstackException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
        return file;
    }

    private static String zone() {
        return StackConfig.DEMO_ZONE.substring(0, StackConfig.DEMO_ZONE.length() - 1);
    }
}
