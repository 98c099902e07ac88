package io.certflow.issuance.caa.dns;

import io.certflow.issuance.caa.CaaLookupException;
import io.certflow.issuance.caa.CaaRecord;
import io.certflow.issuance.caa.CaaRecordSet;
import io.certflow.issuance.caa.CaaResolver;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link CaaResolver} on dnsjava: one CAA query (recursion desired) to one recursive resolver, configured as
 * {@code host:port}; UDP, and TCP when the answer is truncated. The resolver follows CNAMEs: the records taken
 * are those at the end of the CNAME chain in its answer. Exists to keep dnsjava at the edge.
 */
public final class DnsjavaCaaResolver implements CaaResolver {

    private static final int MAX_CNAMES = 16;

    private final InetSocketAddress address;
    private final Duration timeout;

    /**
     * @param address the recursive resolver
     * @param timeout how long one query may take
     */
    public DnsjavaCaaResolver(InetSocketAddress address, Duration timeout) {
        this.address = Objects.requireNonNull(address, "address");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port} or a bare host (port 53).
     *
     * @throws IllegalArgumentException naming the setting when {@code hostPort} is not such an address
     */
    public static InetSocketAddress parseAddress(String hostPort) {
        String s = Objects.requireNonNull(hostPort, "resolver").strip();
        String host = s;
        String port = "53";
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0 || (s.length() > end + 1 && s.charAt(end + 1) != ':')) {
                throw invalid(hostPort);
            }
            host = s.substring(1, end);
            port = s.length() > end + 1 ? s.substring(end + 2) : port;
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (host.isBlank() || p <= 0 || p > 65535) {
                throw invalid(hostPort);
            }
            return InetSocketAddress.createUnresolved(host, p);
        } catch (NumberFormatException e) {
            throw invalid(hostPort);
        }
    }

    @Override
    public CaaRecordSet lookup(String name) throws CaaLookupException {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new CaaLookupException("'" + name + "' is not a DNS name", false, null);
        }
        Message response;
        try {
            SimpleResolver resolver = new SimpleResolver(address.isUnresolved()
                    ? new InetSocketAddress(address.getHostString(), address.getPort()) : address);
            resolver.setTimeout(timeout);
            response = resolver.send(Message.newQuery(Record.newRecord(qname, Type.CAA, DClass.IN)));
        } catch (IOException | RuntimeException e) {
            throw new CaaLookupException("no answer from the resolver " + describe() + " for " + text(qname)
                    + " CAA within " + timeout.toMillis() + " ms (" + e.getClass().getSimpleName() + ")", true, e);
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new CaaLookupException("the resolver " + describe() + " answered " + Rcode.string(rcode) + " for "
                    + text(qname) + " CAA", false, null);
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name owner = qname;
        for (int i = 0; i < MAX_CNAMES; i++) {
            Name current = owner;
            Name target = answer.stream().filter(r -> r instanceof CNAMERecord && r.getName().equals(current))
                    .map(r -> ((CNAMERecord) r).getTarget()).findFirst().orElse(null);
            if (target == null) {
                break;
            }
            owner = target;
        }
        Name canonical = owner;
        List<CaaRecord> records = answer.stream()
                .filter(r -> r instanceof CAARecord && r.getName().equals(canonical))
                .map(r -> (CAARecord) r)
                .map(r -> new CaaRecord(r.getFlags(), r.getTag(), r.getValue()))
                .toList();
        return new CaaRecordSet(text(qname), text(canonical), records);
    }

    private String describe() {
        return address.getHostString() + ":" + address.getPort();
    }

    private static String text(Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException invalid(String hostPort) {
        return new IllegalArgumentException("certflow.issuance.caa.resolver '" + hostPort
                + "' is not host:port (e.g. 127.0.0.1:53)");
    }

    @Override
    public String toString() {
        return "DnsjavaCaaResolver[" + describe() + ", timeout " + timeout + "]";
    }
}
