package io.certflow.verification.dns.lookup;

import io.certflow.verification.dns.provider.ZoneFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks the authoritative servers of a name's zone directly, as a CA's validation does, rather than a resolver
 * whose cache may still hold an old answer. The configured resolver only finds things out: the zone of a name
 * (by walking SOA records, {@link ZoneFinder}), the zone's NS names and their A/AAAA addresses. Each server is
 * then asked with recursion off and EDNS0 with the DO bit (UDP; TCP when the answer is truncated), and when
 * the zone publishes DNSKEY records its answer's signatures are checked ({@link ZoneKeys}).
 *
 * <p>Nothing is cached: every call sees the DNS of now. Thread-safe; no call throws for anything DNS does.
 */
public final class AuthoritativeServers {

    private static final Logger log = LoggerFactory.getLogger(AuthoritativeServers.class);
    /** The EDNS0 UDP payload size recommended since DNS Flag Day 2020. */
    private static final int EDNS_PAYLOAD = 1232;

    private final ResolverSettings settings;
    private final Clock clock;

    /**
     * @param settings the resolver that finds zones and servers, the port servers are asked on, timeouts
     * @param clock    the time DNSSEC signatures must be valid at
     */
    public AuthoritativeServers(ResolverSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The TXT values that each authoritative server of {@code name}'s zone answers at {@code name}, for
     * knowing that a challenge record is served everywhere a CA may ask before announcing it.
     *
     * @param name an absolute name, e.g. {@code _acme-challenge.www.example.com.}
     */
    public TxtAnswers txtOnEveryAuthoritativeServer(String name) {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return new TxtAnswers(name, null, List.of(), "not a valid DNS name");
        }
        try {
            ZoneServers zone = serversOf(n);
            if (zone.status() != ZoneServers.Status.FOUND) {
                return new TxtAnswers(text(n), zone.zoneText(), List.of(), zone.problem());
            }
            List<TxtAnswers.ServerTxt> servers = ask(zone, n, Type.TXT).stream().map(AuthoritativeServers::txt).toList();
            return new TxtAnswers(text(n), zone.zoneText(), servers, null);
        } catch (RuntimeException e) {
            log.warn("looking up TXT {} on its authoritative servers failed unexpectedly", n, e);
            return new TxtAnswers(text(n), null, List.of(), "the lookup failed unexpectedly");
        }
    }

    /**
     * The zone holding {@code name} as the resolver sees it (SOA walk), or empty when there is none (the root or a
     * top-level domain) or the resolver does not answer.
     */
    public Optional<String> zoneOf(String name) {
        try {
            return new ZoneFinder(resolver()).zoneOf(name.endsWith(".") ? name : name + ".")
                    .filter(zone -> zone.labels() > 2).map(AuthoritativeServers::text);
        } catch (IOException | RuntimeException e) {
            log.debug("zone of {} not found: {}", name, e.toString());
            return Optional.empty();
        }
    }

    private static TxtAnswers.ServerTxt txt(ServerAnswer answer) {
        return switch (answer.status()) {
            case FAILED -> new TxtAnswers.ServerTxt(answer.server(), List.of(), answer.problem());
            case DNSSEC_INVALID -> new TxtAnswers.ServerTxt(answer.server(), List.of(),
                    "answers with DNSSEC signatures that do not validate: " + answer.problem());
            case ANSWERED -> {
                List<Record> cname = answer.ofType(Type.CNAME);
                if (!cname.isEmpty()) {
                    yield new TxtAnswers.ServerTxt(answer.server(), List.of(), "answers a CNAME to "
                            + text(((CNAMERecord) cname.get(0)).getTarget()) + " instead of TXT records");
                }
                yield new TxtAnswers.ServerTxt(answer.server(), answer.ofType(Type.TXT).stream()
                        .map(r -> String.join("", ((TXTRecord) r).getStrings())).toList(), null);
            }
        };
    }

    /**
     * The zone holding {@code name} and its name servers with their addresses. The zone is taken as not
     * existing when the nearest SOA is the root's or a top-level domain's and the resolver answers NXDOMAIN
     * for the name: its domain is not registered or not delegated.
     */
    ZoneServers serversOf(Name name) {
        Optional<Name> found;
        try {
            found = new ZoneFinder(resolver()).zoneOf(name.toString());
        } catch (IOException e) {
            return ZoneServers.failed(noAnswerFromResolver());
        }
        if (found.isEmpty() || found.get().labels() <= 2) {
            return noZone(name, found.orElse(null));
        }
        Name zone = found.get();
        List<Record> ns;
        try {
            ns = resolve(zone, Type.NS);
        } catch (IOException e) {
            return ZoneServers.failed(noAnswerFromResolver());
        }
        List<ZoneServers.NameServer> servers = new ArrayList<>();
        for (Record r : ns) {
            if (r instanceof NSRecord nsRecord && r.getName().equals(zone)) {
                servers.add(new ZoneServers.NameServer(nsRecord.getTarget(), addresses(nsRecord.getTarget())));
            }
        }
        if (servers.isEmpty()) {
            return ZoneServers.failed("the resolver " + resolverText() + " found no NS records for " + text(zone));
        }
        servers.sort(Comparator.comparing(ZoneServers.NameServer::host)); // NS records come in any order; reports do not
        return ZoneServers.found(zone, servers);
    }

    /** Tells "no such zone" (NXDOMAIN) from a resolver that could not find out (SERVFAIL…). */
    private ZoneServers noZone(Name name, Name nearest) {
        Message response;
        try {
            response = send(resolver(), Message.newQuery(Record.newRecord(name, Type.SOA, DClass.IN)));
        } catch (IOException e) {
            return ZoneServers.failed(noAnswerFromResolver());
        }
        if (response.getRcode() == Rcode.NXDOMAIN) {
            return ZoneServers.noZone(nearest, nearest == null
                    ? "no zone holds " + text(name) + " (the resolver answers NXDOMAIN, and no SOA record up to the root)"
                    : "no zone holds " + text(name) + ": the nearest zone is " + (nearest.labels() == 1 ? "the root"
                      : "the top-level domain " + text(nearest)) + ", which answers NXDOMAIN for it");
        }
        return ZoneServers.failed(response.getRcode() == Rcode.NOERROR
                ? "the resolver " + resolverText() + " found no zone holding " + text(name)
                : "the resolver " + resolverText() + " answered " + Rcode.string(response.getRcode())
                  + " when looking for the zone of " + text(name));
    }

    /** The IPv4 and then IPv6 addresses of a name server; empty when it has none or they cannot be found. */
    private List<InetAddress> addresses(Name host) {
        List<InetAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            try {
                for (Record r : resolve(host, type)) {
                    if (r instanceof ARecord a) {
                        addresses.add(a.getAddress());
                    } else if (r instanceof AAAARecord aaaa) {
                        addresses.add(aaaa.getAddress());
                    }
                }
            } catch (IOException e) {
                log.debug("no {} of name server {}: {}", Type.string(type), host, e.toString());
            }
        }
        return addresses;
    }

    /** Asks every server of the zone for {@code name} and {@code type}, in the order of their names. */
    List<ServerAnswer> ask(ZoneServers zone, Name name, int type) {
        return zone.servers().stream().map(server -> ask(zone.zone(), server, name, type)).toList();
    }

    /** Asks one server, at its first address that answers. */
    private ServerAnswer ask(Name zone, ZoneServers.NameServer server, Name name, int type) {
        if (server.addresses().isEmpty()) {
            return ServerAnswer.failed(server.label(null), "has no address (no A or AAAA record)");
        }
        ServerAnswer last = null;
        for (InetAddress address : server.addresses()) {
            String label = server.label(address);
            try {
                Message keysAnswer = query(address, zone, Type.DNSKEY);
                String problem = notAuthoritative(keysAnswer, zone);
                if (problem != null) {
                    last = ServerAnswer.failed(label, problem);
                    continue;
                }
                Message answer = query(address, name, type);
                problem = notAuthoritative(answer, zone);
                if (problem != null) {
                    last = ServerAnswer.failed(label, problem);
                    continue;
                }
                List<Record> records = answer.getSection(Section.ANSWER).stream()
                        .filter(r -> r.getName().equals(name) && r.getType() != Type.RRSIG).toList();
                String invalid = ZoneKeys.from(zone, keysAnswer, clock.instant()).problemWith(answer, name);
                return invalid == null ? ServerAnswer.answered(label, answer.getRcode(), records)
                        : ServerAnswer.dnssecInvalid(label, answer.getRcode(), records, invalid);
            } catch (IOException e) {
                log.debug("no answer from {} for {} {}: {}", label, name, Type.string(type), e.toString());
                last = ServerAnswer.failed(label, "did not answer within " + patience());
            }
        }
        return last;
    }

    /** Why an answer does not come from an authoritative server of the zone, or {@code null}. */
    private static String notAuthoritative(Message answer, Name zone) {
        int rcode = answer.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return "answered " + Rcode.string(rcode);
        }
        if (!answer.getHeader().getFlag(Flags.AA)) {
            return "answered without authority for " + text(zone) + " (lame delegation)";
        }
        return null;
    }

    private Message query(InetAddress address, Name name, int type) throws IOException {
        SimpleResolver server = new SimpleResolver(new InetSocketAddress(address, settings.authoritativePort()));
        server.setTimeout(settings.timeout());
        server.setEDNS(0, EDNS_PAYLOAD, ExtendedFlags.DO, List.of());
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        return send(server, query);
    }

    /** The answer section of the resolver's answer; empty for NXDOMAIN and errors. */
    private List<Record> resolve(Name name, int type) throws IOException {
        Message response = send(resolver(), Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        return response.getRcode() == Rcode.NOERROR ? response.getSection(Section.ANSWER) : List.of();
    }

    private Message send(SimpleResolver resolver, Message query) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < settings.attempts(); attempt++) {
            try {
                return resolver.send(query);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(settings.host(), settings.port()));
        resolver.setTimeout(settings.timeout());
        return resolver;
    }

    private String noAnswerFromResolver() {
        return "no answer from the resolver " + resolverText() + " within " + patience();
    }

    private String patience() {
        return settings.timeout().multipliedBy(settings.attempts()).toMillis() / 1000.0 + " s";
    }

    private String resolverText() {
        return settings.host() + ":" + settings.port();
    }

    static String text(Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }
}
