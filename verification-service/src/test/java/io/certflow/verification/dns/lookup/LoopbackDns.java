package io.certflow.verification.dns.lookup;

import io.certflow.devstack.Ports;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DNS of its own on loopback for the lookup tests, shaped like the internet's: a recursive BIND (the resolver
 * certflow is configured with) that is authoritative for the root and {@code test.} and delegates each test zone
 * to authoritative-only BINDs. Those share one port, as name servers share port 53, and listen on
 * {@value #V4} and {@value #V6}: the two loopback addresses BIND can bind without changing the machine, so that
 * a zone can have two servers that answer differently. A zone can be signed (validly, with expired signatures,
 * or with a record changed after signing), and its NS records can name a server at {@value #NOBODY}, where
 * nothing listens.
 */
final class LoopbackDns implements AutoCloseable {

    static final String V4 = "127.0.0.1";
    static final String V6 = "::1";
    /** A loopback address where no server listens. */
    static final String NOBODY = "127.0.0.2";

    /**
     * How a zone is signed with {@code dnssec-keygen} and {@code dnssec-signzone}.
     *
     * @param expired     signatures valid in January 2020 only
     * @param changedFrom text of the signed zone file replaced after signing ({@code null}: none)
     * @param changedTo   its replacement
     */
    record Signing(boolean expired, String changedFrom, String changedTo) {

        static Signing valid() {
            return new Signing(false, null, null);
        }

        static Signing expiredSignatures() {
            return new Signing(true, null, null);
        }

        static Signing changedAfterSigning(String from, String to) {
            return new Signing(false, from, to);
        }
    }

    private record Served(String zone, String address, String records, Signing signing) {
    }

    private final List<NamedServer> servers;
    private final int resolverPort;
    private final int authoritativePort;

    private LoopbackDns(List<NamedServer> servers, int resolverPort, int authoritativePort) {
        this.servers = servers;
        this.resolverPort = resolverPort;
        this.authoritativePort = authoritativePort;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Lookup settings for this DNS: its resolver, its servers' port, short timeouts. */
    ResolverSettings settings() {
        return new ResolverSettings(V4, resolverPort, Duration.ofSeconds(1), 1, authoritativePort);
    }

    @Override
    public void close() {
        servers.forEach(NamedServer::stop);
    }

    /** Collects the zones, then writes, signs and starts everything. */
    static final class Builder {

        private final List<Served> served = new ArrayList<>();

        /**
         * Serves {@code zone} (under {@code test.}) at {@code address} with {@code records} (zone file lines, names
         * relative to the zone); SOA, NS and the servers' addresses are added. Call again with another address for
         * a second server of the zone, with the same or other records.
         */
        Builder zone(String zone, String address, String records) {
            return signedZone(zone, address, records, null);
        }

        /** Like {@link #zone}, signed as {@code signing} says. */
        Builder signedZone(String zone, String address, String records, Signing signing) {
            if (!zone.endsWith(".test.")) {
                throw new IllegalArgumentException("test zones are absolute names under test.: " + zone);
            }
            served.add(new Served(zone, address, records, signing));
            return this;
        }

        LoopbackDns start(Path dir) {
            int[] ports = freePorts();
            int resolverPort = ports[0];
            int port = ports[1];
            Map<String, List<String>> nameServers = new LinkedHashMap<>();
            for (Served s : served) {
                List<String> addresses = nameServers.computeIfAbsent(s.zone(), z -> new ArrayList<>());
                if (!addresses.contains(s.address())) {
                    addresses.add(s.address());
                }
            }
            Map<String, List<NamedServer.ZoneFile>> byAddress = new LinkedHashMap<>();
            for (Served s : served) {
                if (!s.address().equals(NOBODY)) {
                    byAddress.computeIfAbsent(s.address(), a -> new ArrayList<>()).add(new NamedServer.ZoneFile(
                            s.zone(), header(s.zone(), nameServers.get(s.zone())) + s.records() + "\n", s.signing()));
                }
            }
            List<NamedServer> servers = new ArrayList<>();
            servers.add(new NamedServer(dir.resolve("resolver"), V4, resolverPort, port, List.of(
                    new NamedServer.ZoneFile("test.", testZone(nameServers), null),
                    new NamedServer.ZoneFile(".", rootZone(), null))));
            byAddress.forEach((address, zones) -> servers.add(new NamedServer(
                    dir.resolve(address.equals(V4) ? "v4" : "v6"), address, port, 0, zones)));
            LoopbackDns dns = new LoopbackDns(servers, resolverPort, port);
            try {
                servers.forEach(NamedServer::startAsync);
                servers.forEach(s -> s.awaitReady(Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                dns.close();
                throw e;
            }
            return dns;
        }

        private static String header(String zone, List<String> addresses) {
            StringBuilder text = new StringBuilder("""
                    $ORIGIN %1$s
                    $TTL 60
                    @ SOA ns1.%1$s hostmaster.%1$s 1 60 60 3600 1
                    """.formatted(zone));
            for (int i = 0; i < addresses.size(); i++) {
                text.append("@ NS ns").append(i + 1).append('\n');
            }
            for (int i = 0; i < addresses.size(); i++) {
                text.append(glue("ns" + (i + 1), addresses.get(i)));
            }
            return text.toString();
        }

        private static String testZone(Map<String, List<String>> nameServers) {
            StringBuilder text = new StringBuilder("""
                    $ORIGIN test.
                    $TTL 60
                    @ SOA ns hostmaster 1 60 60 3600 1
                    @ NS ns
                    ns A 127.0.0.1
                    """);
            nameServers.forEach((zone, addresses) -> {
                for (int i = 0; i < addresses.size(); i++) {
                    text.append(zone).append(" NS ns").append(i + 1).append('.').append(zone).append('\n');
                    text.append(glue("ns" + (i + 1) + "." + zone, addresses.get(i)));
                }
            });
            return text.toString();
        }

        private static String rootZone() {
            return """
                    $TTL 60
                    . SOA ns.test. hostmaster.test. 1 60 60 3600 1
                    . NS ns.test.
                    test. NS ns.test.
                    ns.test. A 127.0.0.1
                    """;
        }

        private static String glue(String host, String address) {
            return host + (address.contains(":") ? " AAAA " : " A ") + address + "\n";
        }

        /** A resolver port free on 127.0.0.1, and a server port free on 127.0.0.1, ::1 and 127.0.0.2. */
        private static int[] freePorts() {
            for (int attempt = 0; attempt < 50; attempt++) {
                Ports free = Ports.free();
                if (isFree(V6, free.bind()) && isFree(NOBODY, free.bind())) {
                    return new int[] {free.certflowDns(), free.bind()};
                }
            }
            throw new IllegalStateException("no port free on 127.0.0.1, ::1 and 127.0.0.2");
        }

        private static boolean isFree(String address, int port) {
            try (ServerSocket tcp = new ServerSocket();
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port))) {
                tcp.bind(new InetSocketAddress(InetAddress.getByName(address), port));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
