package io.certflow.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * BIND 9 as the customers' DNS: authoritative for {@code demo.certflow.test.} (open to RFC 2136 updates signed
 * with a per-stack TSIG key) and a recursive resolver for loopback that forwards the delegation zone
 * {@code acme.certflow.test.} to certflow's own DNS server. Pebble resolves through it, so a challenge TXT
 * published by verification-service is found behind the customer's {@code _acme-challenge} CNAME.
 *
 * <p>The TSIG secret and the zone file are kept in {@code data/bind/} across restarts; this object can be
 * created for a running stack (another CLI invocation) to update the zone.
 */
public class BindProcess extends ManagedProcess {
    /** The TSIG key name. */
    public static final String TSIG_KEY_NAME = "certflow-demo-key.";
    /** The TSIG algorithm, as BIND spells it. */
    public static final String TSIG_ALGORITHM = "hmac-sha256";

    public BindProcess(StackConfig config) {
        super(config, Component.BIND);
    }

    public Path workDir() {
        return config.dataDir().resolve("bind");
    }

    public Path namedConf() {
        return workDir().resolve("named.conf");
    }

    public Path zoneFile() {
        return workDir().resolve("db." + zone().substring(0, zone().length() - 1));
    }

    /** {@code demo.certflow.test.}. */
    public String zone() {
        return StackConfig.DEMO_ZONE;
    }

    /** {@code 127.0.0.1:<port>}, what Pebble and verification-service use as resolver. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The base64 TSIG secret of this stack (generated on first use, kept in {@code data/bind/tsig.secret}). */
    public String tsigSecret() {
        return SecretFiles.readOrCreate(workDir().resolve("tsig.secret"));
    }

    /**
     * Replaces whatever is at {@code name} by a CNAME to {@code target} (RFC 2136 update with TSIG), as the
     * domain owner does once to delegate {@code _acme-challenge.<domain>} to certflow.
     *
     * @param name   absolute or relative to the zone, e.g. {@code _acme-challenge.www.demo.certflow.test.}
     * @param target e.g. {@code k3x9.acme.certflow.test.}
     */
    public void addCname(String name, String target) {
        try {
            Name n = absolute(name);
            Update update = new Update(Name.fromString(zone()));
            update.delete(n);
            update.add(n, Type.CNAME, 60, fqdn(target).toString());
            send(update, "CNAME " + n + " -> " + target);
        } catch (IOException e) {
            throw new DevstackException("bad DNS record: " + e.getMessage(), e);
        }
    }

    /** Replaces whatever is at {@code name} by one TXT record. */
    public void addTxt(String name, String value) {
        try {
            Name n = absolute(name);
            Update update = new Update(Name.fromString(zone()));
            update.delete(n);
            update.add(n, Type.TXT, 60, "\"" + value.replace("\"", "\\\"") + "\"");
            send(update, "TXT " + n);
        } catch (IOException e) {
            throw new DevstackException("bad DNS record: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces whatever is at {@code name} by one TXT record per value, in one update: DNS-01 for a domain
     * and its wildcard asks for two values at the same {@code _acme-challenge} name.
     */
    public void addTxt(String name, List<String> values) {
        try {
            Name n = absolute(name);
            Update update = new Update(Name.fromString(zone()));
            update.delete(n);
            for (String value : values) {
                update.add(n, Type.TXT, 60, "\"" + value.replace("\"", "\\\"") + "\"");
            }
            send(update, values.size() + " TXT " + n);
        } catch (IOException e) {
            throw new DevstackException("bad DNS record: " + e.getMessage(), e);
        }
    }

    /** Replaces whatever is at {@code name} by one record of any type, e.g. {@code addRecord("x", Type.A, "192.0.2.1")}. */
    public void addRecord(String name, int type, String rdata) {
        try {
            Name n = absolute(name);
            Update update = new Update(Name.fromString(zone()));
            update.delete(n);
            update.add(n, type, 60, rdata);
            send(update, Type.string(type) + " " + n);
        } catch (IOException e) {
            throw new DevstackException("bad DNS record: " + e.getMessage(), e);
        }
    }

    /** Removes every record at {@code name}. */
    public void deleteName(String name) {
        try {
            Update update = new Update(Name.fromString(zone()));
            update.delete(absolute(name));
            send(update, "delete " + name);
        } catch (IOException e) {
            throw new DevstackException("bad DNS record: " + e.getMessage(), e);
        }
    }

    /**
     * Asks this BIND (recursion desired, like Pebble does) and returns the answer section's records, e.g.
     * the CNAME and then the target's TXT. Empty for NXDOMAIN / no data.
     */
    public List<Record> query(String name, int type) {
        try {
            SimpleResolver r = resolver();
            r.setTCP(false);
            Message response = r.send(Message.newQuery(Record.newRecord(fqdn(name), type, DClass.IN)));
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new DevstackException("DNS query " + name + " " + Type.string(type) + " to " + address()
                        + " answered " + Rcode.string(rcode) + "; see " + logFile());
            }
            return new ArrayList<>(response.getSection(Section.ANSWER));
        } catch (IOException e) {
            throw new DevstackException("DNS query " + name + " to " + address() + " failed: " + e.getMessage()
                    + "; see " + logFile(), e);
        }
    }

    @Override
    protected List<int[]> portsToCheck() {
        return List.of(new int[] {port(), 1});
    }

    @Override
    protected void checkPrerequisites() {
        Binaries.require(Binaries.NAMED);
    }

    @Override
    protected void prepare() throws IOException {
        Path dir = workDir();
        Files.createDirectories(dir);
        String secret = tsigSecret();
        if (!Files.exists(zoneFile())) {
            Files.writeString(zoneFile(), """
                    $TTL 60
                    @        IN SOA ns1.%1$s hostmaster.%1$s 1 60 60 3600 1
                    @        IN NS  ns1.%1$s
                    ns1      IN A   127.0.0.1
                    @        IN A   127.0.0.1
                    www      IN A   127.0.0.1
                    """.formatted(zone()));
        }
        String dirS = dir.toString();
        Files.writeString(namedConf(), """
                // written by certflow devstack at every start
                key "%1$s" {
                    algorithm %2$s;
                    secret "%3$s";
                };
                controls { };
                options {
                    directory "%4$s";
                    pid-file "%5$s";
                    session-keyfile "%4$s/session.key";
                    managed-keys-directory "%4$s";
                    listen-on port %6$d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion yes;
                    allow-query { 127.0.0.0/8; };
                    allow-recursion { 127.0.0.0/8; };
                    allow-query-cache { 127.0.0.0/8; };
                    allow-transfer { none; };
                    dnssec-validation no;
                    max-cache-ttl 1;
                    max-ncache-ttl 1;
                    notify no;
                    qname-minimization off;
                    querylog yes;
                };
                logging {
                    channel stderr_log { stderr; severity info; print-time yes; print-category yes; };
                    category default { stderr_log; };
                    category queries { stderr_log; };
                    category lame-servers { null; };
                    category edns-disabled { null; };
                };
                zone "%7$s" {
                    type primary;
                    file "%8$s";
                    update-policy { grant %1$s zonesub ANY; };
                };
                zone "%9$s" {
                    type forward;
                    forward only;
                    forwarders { 127.0.0.1 port %10$d; };
                };
                """.formatted(TSIG_KEY_NAME, TSIG_ALGORITHM, secret, dirS, config.runDir().resolve("named-internal.pid"),
                port(), zone(), zoneFile(), StackConfig.DELEGATION_ZONE, config.ports().certflowDns()));
    }

    @Override
    protected List<String> command() {
        return List.of(Binaries.require(Binaries.NAMED).toString(), "-g", "-4", "-c", namedConf().toString(),
                "-p", Integer.toString(port()));
    }

    @Override
    protected Path workingDirectory() {
        return workDir();
    }

    @Override
    protected String readinessDescription() {
        return "SOA of " + zone() + " at " + address();
    }

    @Override
    protected boolean isReady() {
        try {
            SimpleResolver r = resolver();
            r.setTimeout(Duration.ofMillis(500));
            Message response = r.send(Message.newQuery(Record.newRecord(Name.fromString(zone()), Type.SOA, DClass.IN)));
            return response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private void send(Update update, String what) {
        try {
            SimpleResolver r = resolver();
            r.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, TSIG_KEY_NAME, tsigSecret()));
            r.setTCP(true);
            Message response = r.send(update);
            if (response.getRcode() != Rcode.NOERROR) {
                throw new DevstackException("BIND refused the update (" + what + "): " + Rcode.string(response.getRcode())
                        + "; see " + logFile());
            }
        } catch (IOException e) {
            throw new DevstackException("RFC 2136 update (" + what + ") to " + address() + " failed: " + e.getMessage()
                    + "; see " + logFile(), e);
        }
    }

    private SimpleResolver resolver() {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port()));
        r.setTimeout(Duration.ofSeconds(5));
        return r;
    }

    /** Names ending with the zone (with or without the final dot) are absolute; others are relative to the zone. */
    private Name absolute(String name) throws TextParseException {
        String zoneNoDot = zone().substring(0, zone().length() - 1);
        if (!name.endsWith(".") && (name.equals(zoneNoDot) || name.endsWith("." + zoneNoDot))) {
            name = name + ".";
        }
        return Name.fromString(name, Name.fromString(zone()));
    }

    private static Name fqdn(String name) throws TextParseException {
        return Name.fromString(name.endsWith(".") ? name : name + ".");
    }
}
