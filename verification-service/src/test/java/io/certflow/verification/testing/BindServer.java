package io.certflow.verification.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real BIND ({@code /usr/sbin/named}) for tests: runs in the foreground on a free loopback port
 * with a generated {@code named.conf}, its zone files, pid file and journals in a temporary
 * directory, recursion for loopback, DNSSEC validation off. Primary zones accept RFC 2136 updates
 * from loopback (so a test can add the CNAME it has just been told to create); forward zones send
 * queries to another server (certflow's delegation zone server). Killed on {@link #close()}.
 */
public final class BindServer implements AutoCloseable {

    public static final Path NAMED = Path.of("/usr/sbin/named");

    private final Process process;
    private final int port;
    private final Path log;

    private BindServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Whether named is installed here. */
    public static boolean available() {
        return Files.isExecutable(NAMED);
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The port named listens on (UDP and TCP, 127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, the form of {@code certflow.verification.resolver}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** A resolver that asks this BIND. */
    public SimpleResolver resolver() {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTimeout(Duration.ofSeconds(3));
        return r;
    }

    /** Sends an RFC 2136 update to a primary zone and fails unless BIND accepts it. */
    public void update(String zone, Consumer<Update> change) {
        try {
            Update update = new Update(Name.fromString(absolute(zone)));
            change.accept(update);
            Message response = resolver().send(update);
            if (response.getRcode() != Rcode.NOERROR) {
                throw new IllegalStateException("BIND refused the update: " + Rcode.string(response.getRcode()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What named wrote so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /** Builds the configuration and starts named. */
    public static final class Builder {
        private final Path directory;
        private final List<String> zones = new ArrayList<>();
        private final List<String> primaryNames = new ArrayList<>();
        private final List<String[]> zoneFiles = new ArrayList<>();
        private int port;

        private Builder(Path directory) {
            this.directory = directory;
        }

        /**
         * A primary zone with the given records (zone-file lines relative to the origin; SOA, NS
         * and {@code ns} address are added), open to RFC 2136 updates from loopback.
         */
        public Builder primaryZone(String zone, String... records) {
            String name = absolute(zone);
            String file = name + "zone";
            StringBuilder text = new StringBuilder()
                    .append("$ORIGIN ").append(name).append('\n')
                    .append("$TTL 5\n")
                    .append("@ IN SOA ns hostmaster 1 3600 600 86400 1\n")
                    .append("@ IN NS ns\n")
                    .append("ns IN A 127.0.0.1\n");
            for (String r : records) {
                text.append(r).append('\n');
            }
            zoneFiles.add(new String[]{file, text.toString()});
            primaryNames.add(name);
            zones.add("zone \"" + name + "\" { type primary; file \"" + file
                    + "\"; allow-update { 127.0.0.1; }; notify no; };");
            return this;
        }

        /** The port to listen on (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A primary zone whose file does not parse: BIND answers SERVFAIL for it. */
        public Builder brokenZone(String zone) {
            String name = absolute(zone);
            String file = name + "zone";
            zoneFiles.add(new String[]{file, "this is not a zone file\n"});
            zones.add("zone \"" + name + "\" { type primary; file \"" + file + "\"; };");
            return this;
        }

        /** A zone whose queries BIND forwards (only) to {@code 127.0.0.1:port}. */
        public Builder forwardZone(String zone, int port) {
            zones.add("zone \"" + absolute(zone) + "\" { type forward; forward only; forwarders { 127.0.0.1 port "
                    + port + "; }; };");
            return this;
        }

        public BindServer start() {
            try {
                Files.createDirectories(directory);
                for (String[] f : zoneFiles) {
                    Files.writeString(directory.resolve(f[0]), f[1], StandardCharsets.US_ASCII);
                }
                int port = this.port > 0 ? this.port : freePort();
                String conf = """
                        options {
                          directory "%1$s";
                          pid-file "%1$s/named.pid";
                          session-keyfile "%1$s/session.key";
                          managed-keys-directory "%1$s";
                          listen-on port %2$d { 127.0.0.1; };
                          listen-on-v6 { none; };
                          recursion yes;
                          allow-recursion { 127.0.0.0/8; };
                          allow-query { 127.0.0.0/8; };
                          allow-transfer { none; };
                          dnssec-validation no;
                          qname-minimization off;
                          notify no;
                          check-names primary ignore;
                          max-ncache-ttl 1;
                          servfail-ttl 0;
                        };
                        controls { };
                        %3$s
                        """.formatted(directory.toAbsolutePath(), port, String.join("\n", zones));
                Path confFile = directory.resolve("named.conf");
                Files.writeString(confFile, conf);
                Path log = directory.resolve("named.log");
                Process process = new ProcessBuilder(NAMED.toString(), "-g", "-4", "-n", "1",
                        "-c", confFile.toAbsolutePath().toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                BindServer server = new BindServer(process, port, log);
                server.awaitReady(primaryNames);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void awaitReady(List<String> zonesToLoad) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> probes = zonesToLoad.isEmpty() ? List.of(".") : zonesToLoad;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("named exited with " + process.exitValue() + ":\n" + log());
            }
            if (probes.stream().allMatch(this::answersSoa)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("named did not become ready:\n" + log());
    }

    private boolean answersSoa(String zone) {
        try {
            SimpleResolver r = resolver();
            r.setTimeout(Duration.ofMillis(300));
            Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN)));
            return m.getRcode() == Rcode.NOERROR && !m.getSection(1).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port free for both UDP and TCP. */
    public static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException e) {
                    // taken for UDP: try another
                }
            }
        }
        throw new IOException("no free loopback port for UDP and TCP");
    }
}
