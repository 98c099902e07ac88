package io.certflow.verification.dns.lookup;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.Component;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.StackConfig;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * One BIND of {@link LoopbackDns}: authoritative for some zones (written, and signed when asked, before it
 * starts), listening on one address and port; the resolver among them also recurses, asking the others on
 * their shared port. Started and stopped like devstack's BIND.
 */
final class NamedServer extends ManagedProcess {

    /**
     * One zone this server serves.
     *
     * @param zone    absolute name
     * @param text    the zone file
     * @param signing how to sign it, or {@code null} for an unsigned zone
     */
    record ZoneFile(String zone, String text, LoopbackDns.Signing signing) {
    }

    private final String address;
    private final int port;
    private final int recursionPort;
    private final List<ZoneFile> zones;

    /**
     * @param home          this server's folder
     * @param address       127.0.0.1 or ::1
     * @param port          the port it listens on
     * @param recursionPort for the resolver: the port it asks other servers on; 0 for an authoritative-only server
     * @param zones         what it serves (the first one is probed for readiness)
     */
    NamedServer(Path home, String address, int port, int recursionPort, List<ZoneFile> zones) {
        super(StackConfig.forTests(home, EnumSet.of(Component.BIND)), Component.BIND);
        this.address = address;
        this.port = port;
        this.recursionPort = recursionPort;
        this.zones = List.copyOf(zones);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    protected List<int[]> portsToCheck() {
        return List.of(); // LoopbackDns checked the port on both loopback addresses
    }

    @Override
    protected void checkPrerequisites() {
        Binaries.require(Binaries.NAMED);
    }

    private Path dir() {
        return config.dataDir().resolve("named");
    }

    @Override
    protected Path workingDirectory() {
        return dir();
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(dir());
        StringBuilder zoneStatements = new StringBuilder();
        for (ZoneFile zone : zones) {
            String file = zone.zone().equals(".") ? "root.db" : zone.zone() + "db";
            Files.writeString(dir().resolve(file), zone.text());
            if (zone.signing() != null) {
                file = sign(zone, file);
            }
            zoneStatements.append("zone \"%s\" { type primary; file \"%s\"; };%n".formatted(zone.zone(), file));
        }
        boolean v6 = address.contains(":");
        String listen = "listen-on %s; listen-on-v6 %s;".formatted(
                v6 ? "{ none; }" : "port " + port + " { " + address + "; }",
                v6 ? "port " + port + " { " + address + "; }" : "{ none; }");
        String recursion = recursionPort == 0 ? "recursion no;"
                : "recursion yes; allow-recursion { any; }; port " + recursionPort
                  + "; max-cache-ttl 1; max-ncache-ttl 1; qname-minimization off;";
        Files.writeString(dir().resolve("named.conf"), """
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    session-keyfile "%1$s/session.key";
                    managed-keys-directory "%1$s";
                    %2$s
                    %3$s
                    allow-query { any; };
                    allow-transfer { none; };
                    dnssec-validation no;
                    notify no;
                    querylog yes;
                };
                controls { };
                logging {
                    channel stderr_log { stderr; severity info; print-time yes; print-category yes; };
                    category default { stderr_log; };
                    category queries { stderr_log; };
                    category lame-servers { null; };
                };
                %4$s""".formatted(dir(), listen, recursion, zoneStatements));
    }

    /** Signs the zone with a new ZSK and KSK (ECDSA P-256) as {@code signing} says; returns the signed file. */
    private String sign(ZoneFile zone, String file) throws IOException {
        Path keys = dir().resolve("keys-" + zone.zone());
        Files.createDirectories(keys);
        Path zsk = newKey(keys.resolve("zsk"), zone.zone(), false);
        Path ksk = newKey(keys.resolve("ksk"), zone.zone(), true);
        Files.writeString(dir().resolve(file), "$INCLUDE " + zsk + ".key\n$INCLUDE " + ksk + ".key\n",
                java.nio.file.StandardOpenOption.APPEND);
        String signed = file + ".signed";
        List<String> command = new ArrayList<>(List.of(tool("dnssec-signzone"), "-q", "-o", zone.zone(),
                "-k", ksk.toString(), "-f", signed));
        if (zone.signing().expired()) {
            command.addAll(List.of("-P", "-s", "20200101000000", "-e", "20200201000000"));
        }
        command.addAll(List.of(file, zsk.toString()));
        runToCompletion(command, Duration.ofSeconds(30));
        if (zone.signing().changedFrom() != null) {
            Path path = dir().resolve(signed);
            String text = Files.readString(path);
            if (!text.contains(zone.signing().changedFrom())) {
                throw new IllegalStateException(zone.signing().changedFrom() + " is not in the signed zone " + zone.zone());
            }
            Files.writeString(path, text.replace(zone.signing().changedFrom(), zone.signing().changedTo()));
        }
        return signed;
    }

    /** A new key in {@code keys}; its path without the {@code .key} / {@code .private} ending. */
    private Path newKey(Path keys, String zone, boolean ksk) throws IOException {
        Files.createDirectories(keys);
        List<String> command = new ArrayList<>(List.of(tool("dnssec-keygen"), "-q", "-K", keys.toString(),
                "-a", "ECDSAP256SHA256", "-n", "ZONE"));
        if (ksk) {
            command.addAll(List.of("-f", "KSK"));
        }
        command.add(zone);
        runToCompletion(command, Duration.ofSeconds(30));
        try (Stream<Path> files = Files.list(keys)) {
            Path key = files.filter(p -> p.getFileName().toString().endsWith(".key")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("dnssec-keygen made no key in " + keys));
            String name = key.toString();
            return Path.of(name.substring(0, name.length() - ".key".length()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String tool(String name) {
        return Binaries.require(name).toString();
    }

    @Override
    protected List<String> command() {
        return List.of(tool(Binaries.NAMED), "-g", address.contains(":") ? "-6" : "-4",
                "-c", dir().resolve("named.conf").toString());
    }

    @Override
    protected String readinessDescription() {
        return "SOA of " + zones.get(0).zone() + " at " + address + " port " + port;
    }

    @Override
    protected boolean isReady() throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(address, port));
        r.setTimeout(Duration.ofMillis(500));
        Message query = Message.newQuery(Record.newRecord(Name.fromString(zones.get(0).zone()), Type.SOA, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        Message response = r.send(query);
        return response.getRcode() == Rcode.NOERROR && response.getHeader().getFlag(Flags.AA);
    }
}
