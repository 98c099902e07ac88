package io.certflow.devstack.bench;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.Component;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.StackConfig;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * BIND 9 as the yardstick of {@code ./certflow bench dns}: authoritative only for the benchmark's copy of
 * the delegation zone (from a zone file), no recursion, no query log, no rate limit, minimal responses
 * (answers as certflow's server gives them: no NS or glue beside a TXT answer), on the stack's BIND port.
 * Its own configuration: the stack's {@link io.certflow.devstack.BindProcess} serves customer zones and
 * recurses, which is another job.
 */
final class BenchNamed extends ManagedProcess {

    private final Path zoneFile;

    BenchNamed(StackConfig config, Path zoneFile) {
        super(config, Component.BIND);
        this.zoneFile = zoneFile;
    }

    private Path workDir() {
        return config.dataDir().resolve("bind-bench");
    }

    private Path namedConf() {
        return workDir().resolve("named.conf");
    }

    @Override
    protected void checkPrerequisites() {
        Binaries.require(Binaries.NAMED);
    }

    @Override
    protected List<int[]> portsToCheck() {
        return List.of(new int[] {port(), 1});
    }

    @Override
    protected void prepare() throws IOException {
        Files.createDirectories(workDir());
        Files.writeString(namedConf(), """
                // written by ./certflow bench dns
                controls { };
                options {
                    directory "%1$s";
                    pid-file "%1$s/named.pid";
                    session-keyfile "%1$s/session.key";
                    managed-keys-directory "%1$s";
                    listen-on port %2$d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    minimal-responses yes;
                    allow-transfer { none; };
                    dnssec-validation no;
                    notify no;
                    querylog no;
                };
                logging {
                    channel stderr_log { stderr; severity warning; print-time yes; };
                    category default { stderr_log; };
                };
                zone "%3$s" {
                    type primary;
                    file "%4$s";
                };
                """.formatted(workDir(), port(), BenchZone.ZONE, zoneFile));
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
        return "SOA of " + BenchZone.ZONE + " at 127.0.0.1:" + port();
    }

    @Override
    protected boolean isReady() throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port()));
        r.setTimeout(Duration.ofMillis(500));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(BenchZone.ZONE), Type.SOA, DClass.IN)));
        return m.getRcode() == Rcode.NOERROR && !m.getSection(Section.ANSWER).isEmpty();
    }
}
