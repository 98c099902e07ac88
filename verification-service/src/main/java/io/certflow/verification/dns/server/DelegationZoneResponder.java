package io.certflow.verification.dns.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Answers one DNS query for the delegation zone, independent of any socket: the authoritative
 * logic of {@link DelegationZoneServer}, kept apart so it can be tested message by message.
 *
 * <p>The zone holds the SOA and NS records at the apex, an address for the name server when it
 * lies inside the zone, and the challenge TXT records the {@link ChallengeRecordStore} returns.
 * Answers carry the AA flag and never RA (nothing is resolved here); unknown names are NXDOMAIN and
 * known names without the asked type are NODATA, both with the SOA in the authority section, its
 * TTL the negative TTL (RFC 2308); names outside the zone are REFUSED. A query for ANY gets the
 * name's records (one TXT RRset at a challenge name, so no more than a TXT query: RFC 8482 allows
 * this). A query that is not one question, or carries more than one OPT record, is FORMERR; other
 * opcodes are NOTIMP. EDNS0 (RFC 6891) is echoed, and a UDP answer larger than the client can take
 * (512 octets without EDNS0, else its payload size up to {@value #EDNS_UDP_SIZE}) is cut to an empty
 * answer with TC set, so that the client retries over TCP.
 */
public final class DelegationZoneResponder {

    /** The classic UDP message limit without EDNS0. */
    public static final int CLASSIC_UDP_SIZE = 512;
    /** The UDP payload size certflow advertises and honours at most (DNS flag day 2020). */
    public static final int EDNS_UDP_SIZE = 1232;
    /** Largest DNS message over TCP. */
    public static final int TCP_MAX_SIZE = 65535;
    /** A single character-string in a TXT record holds at most 255 octets. */
    private static final int TXT_STRING_MAX = 255;

    private static final Logger log = LoggerFactory.getLogger(DelegationZoneResponder.class);

    private final Name zone;
    private final Name nameserver;
    private final InetAddress nameserverAddress;
    private final ChallengeRecordStore store;
    private final long txtTtl;
    private final long zoneTtl;
    private final long negativeTtl;
    private final long serial;

    /**
     * @param settings the zone's names and TTLs
     * @param store    the TXT records
     * @param serial   the SOA serial (e.g. the start time in seconds: nothing transfers this zone,
     *                 the serial only has to be valid)
     */
    public DelegationZoneResponder(DnsServerSettings settings, ChallengeRecordStore store, long serial) {
        try {
            this.zone = Name.fromString(settings.zone());
            this.nameserver = Name.fromString(settings.nameserver());
        } catch (TextParseException e) {
            throw new IllegalArgumentException("invalid zone or name server name: " + e.getMessage(), e);
        }
        this.nameserverAddress = publishedAddress(settings.nameserverAddress());
        this.store = store;
        this.txtTtl = settings.txtTtl().toSeconds();
        this.zoneTtl = settings.zoneTtl().toSeconds();
        this.negativeTtl = settings.negativeTtl().toSeconds();
        this.serial = serial & 0xffffffffL;
    }

    private static InetAddress publishedAddress(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(address.strip());
            return a.isAnyLocalAddress() ? null : a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("name server address is not an IP address: " + address, e);
        }
    }

    /**
     * Answers a query in wire form.
     *
     * @param wire      the query as received
     * @param overUdp   whether it came over UDP (then the answer is cut to what the client can take)
     * @return the answer in wire form, or {@code null} to drop the packet (unparseable, or not a query)
     */
    public byte[] respond(byte[] wire, boolean overUdp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            log.debug("dropping malformed DNS packet of {} bytes: {}", wire.length, e.getMessage());
            return null;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return null; // a response sent to us: never answer it (no reflection loops)
        }
        Message response = answer(query);
        int limit = overUdp ? udpLimit(query) : TCP_MAX_SIZE;
        byte[] out = response.toWire();
        if (out.length <= limit) {
            return out;
        }
        Message truncated = header(query, response.getHeader().getRcode());
        truncated.getHeader().setFlag(Flags.TC);
        for (Record question : response.getSection(Section.QUESTION)) {
            truncated.addRecord(question, Section.QUESTION);
        }
        if (response.getHeader().getFlag(Flags.AA)) {
            truncated.getHeader().setFlag(Flags.AA);
        }
        addOpt(query, truncated, 0);
        return truncated.toWire();
    }

    /**
     * An empty answer with the TC flag to a query, so that a real client asks again over TCP; what a
     * rate-limited source gets now and then ({@link ResponseRateLimiter.Decision#SLIP}).
     *
     * @return the answer, or {@code null} for a packet that would not be answered at all
     */
    public byte[] truncatedReply(byte[] wire) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (query.getHeader().getFlag(Flags.QR)) {
            return null;
        }
        Message truncated = header(query, Rcode.NOERROR);
        truncated.getHeader().setFlag(Flags.TC);
        for (Record question : query.getSection(Section.QUESTION)) {
            truncated.addRecord(question, Section.QUESTION);
        }
        return truncated.toWire();
    }

    private static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        if (opt == null) {
            return CLASSIC_UDP_SIZE;
        }
        return Math.max(CLASSIC_UDP_SIZE, Math.min(EDNS_UDP_SIZE, opt.getPayloadSize()));
    }

    /** The full answer to a parsed query, before any size limit. */
    public Message answer(Message query) {
        OPTRecord opt = query.getOPT();
        if (query.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.OPT).count() > 1) {
            return header(query, Rcode.FORMERR); // RFC 6891 §6.1.1: more than one OPT record
        }
        if (opt != null && opt.getVersion() != 0) {
            Message badVersion = header(query, Rcode.NOERROR);
            addOpt(query, badVersion, Rcode.BADVERS);
            return badVersion;
        }
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return withOpt(query, header(query, Rcode.NOTIMP));
        }
        List<Record> questions = query.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return withOpt(query, header(query, Rcode.FORMERR));
        }
        Record question = questions.get(0);
        Message response = header(query, Rcode.NOERROR);
        response.addRecord(question, Section.QUESTION);
        Name qname = question.getName();
        int qtype = question.getType();
        int qclass = question.getDClass();
        if (!qname.subdomain(zone) || (qclass != DClass.IN && qclass != DClass.ANY)) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return withOpt(query, response);
        }
        if (qtype == Type.AXFR || qtype == Type.IXFR) {
            response.getHeader().setRcode(Rcode.REFUSED); // no zone transfers: the data is dynamic
            return withOpt(query, response);
        }
        response.getHeader().setFlag(Flags.AA);
        try {
            List<Record> answers = records(qname, qtype);
            if (answers == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                response.addRecord(negativeSoa(), Section.AUTHORITY);
            } else if (answers.isEmpty()) {
                response.addRecord(negativeSoa(), Section.AUTHORITY);
            } else {
                for (Record r : answers) {
                    response.addRecord(r, Section.ANSWER);
                }
                if (qtype == Type.NS && qname.equals(zone)) {
                    for (Record glue : addressRecords(nameserver)) {
                        response.addRecord(glue, Section.ADDITIONAL);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot answer {} {}: {}", qname, Type.string(qtype), e.toString());
            response = header(query, Rcode.SERVFAIL);
            response.addRecord(question, Section.QUESTION);
        }
        return withOpt(query, response);
    }

    /**
     * The records of {@code qtype} at {@code qname} (owner spelled as asked), an empty list when
     * the name exists without that type, or {@code null} when the name does not exist.
     */
    private List<Record> records(Name qname, int qtype) {
        List<Record> out = new ArrayList<>();
        boolean any = qtype == Type.ANY;
        if (qname.equals(zone)) {
            if (qtype == Type.SOA || any) {
                out.add(soa(qname, zoneTtl));
            }
            if (qtype == Type.NS || any) {
                out.add(new NSRecord(qname, DClass.IN, zoneTtl, nameserver));
            }
            return out;
        }
        if (qname.equals(nameserver) && nameserverAddress != null) {
            for (Record r : addressRecords(qname)) {
                if (r.getType() == qtype || any) {
                    out.add(r);
                }
            }
            return out;
        }
        if (qname.labels() != zone.labels() + 1) {
            return null; // challenge names are single labels under the apex
        }
        List<String> values = store.txtValues(qname.canonicalize().toString().toLowerCase(Locale.ROOT));
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (qtype == Type.TXT || any) {
            for (String value : values) {
                out.add(new TXTRecord(qname, DClass.IN, txtTtl, chunks(value)));
            }
        }
        return out;
    }

    private List<Record> addressRecords(Name owner) {
        if (nameserverAddress == null || !owner.equals(nameserver)) {
            return List.of();
        }
        Record r = nameserverAddress instanceof Inet4Address
                ? new ARecord(owner, DClass.IN, zoneTtl, nameserverAddress)
                : new AAAARecord(owner, DClass.IN, zoneTtl, nameserverAddress);
        return List.of(r);
    }

    private static List<String> chunks(String value) {
        if (value.length() <= TXT_STRING_MAX) {
            return List.of(value);
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.length(); i += TXT_STRING_MAX) {
            parts.add(value.substring(i, Math.min(value.length(), i + TXT_STRING_MAX)));
        }
        return parts;
    }

    private SOARecord soa(Name owner, long ttl) {
        Name admin = Name.fromConstantString("hostmaster." + zone);
        return new SOARecord(owner, DClass.IN, ttl, nameserver, admin, serial,
                3600, 600, 86400, negativeTtl);
    }

    /** The SOA for negative answers: its TTL is the negative TTL (RFC 2308 §3). */
    private SOARecord negativeSoa() {
        return soa(zone, Math.min(zoneTtl, negativeTtl));
    }

    private static Message header(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        if (query.getHeader().getFlag(Flags.CD)) {
            response.getHeader().setFlag(Flags.CD); // RFC 4035 §3.1.6
        }
        response.getHeader().setRcode(rcode & 0xf);
        return response;
    }

    private static Message withOpt(Message query, Message response) {
        addOpt(query, response, 0);
        return response;
    }

    private static void addOpt(Message query, Message response, int extendedRcode) {
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_UDP_SIZE, extendedRcode >>> 4, 0), Section.ADDITIONAL);
        }
    }
}
