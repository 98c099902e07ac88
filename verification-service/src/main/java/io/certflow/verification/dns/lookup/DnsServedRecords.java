package io.certflow.verification.dns.lookup;

import io.certflow.verification.challenge.ServedRecords;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Asks the delegation zone's authoritative DNS server (certflow's own, at its address and current
 * port) for TXT records, as a CA would; a truncated UDP answer is retried over TCP.
 */
public final class DnsServedRecords implements ServedRecords {

    private final String host;
    private final IntSupplier port;
    private final Duration timeout;

    /**
     * @param host    the server's address
     * @param port    its port, read at each query (a server configured with port 0 knows it only once started)
     * @param timeout per query
     */
    public DnsServedRecords(String host, IntSupplier port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public List<String> txtValues(String name) {
        int p = port.getAsInt();
        if (p <= 0) {
            throw new ServedRecordsUnavailableException("the delegation zone's DNS server is not running");
        }
        try {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(host, p));
            resolver.setTimeout(timeout);
            Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN)));
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return List.of();
            }
            if (rcode != Rcode.NOERROR) {
                throw new ServedRecordsUnavailableException("the delegation zone's DNS server answered " + Rcode.string(rcode));
            }
            List<String> values = new ArrayList<>();
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord txt) {
                    values.add(String.join("", txt.getStrings()));
                }
            }
            return values;
        } catch (TextParseException e) {
            throw new ServedRecordsUnavailableException("not a DNS name: " + name);
        } catch (IOException e) {
            throw new ServedRecordsUnavailableException("no answer from the delegation zone's DNS server: " + e);
        }
    }
}
