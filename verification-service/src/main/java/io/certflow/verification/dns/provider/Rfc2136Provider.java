package io.certflow.verification.dns.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Update;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@link DnsProvider} over RFC 2136 dynamic updates signed with TSIG (RFC 8945), for BIND, Knot, PowerDNS and
 * every server that speaks them. The zone of a name is found by walking SOA records on the same server
 * ({@link ZoneFinder}); each change is one update message that adds or deletes single TXT records (RFC 2136
 * section 2.5.4), so other values at the name stay and the server applies a change whole or not at all.
 */
public final class Rfc2136Provider implements DnsProvider {

    private static final Logger log = LoggerFactory.getLogger(Rfc2136Provider.class);
    /** The TTL of published challenge records: short, since they live minutes. */
    static final long TXT_TTL = 60;

    private final Rfc2136Settings settings;

    public Rfc2136Provider(Rfc2136Settings settings) {
        this.settings = settings;
    }

    @Override
    public Optional<String> zoneOf(String name) throws DnsProviderException {
        Name owner = owner(name);
        try {
            return new ZoneFinder(resolver(false)).zoneOf(owner.toString()).map(Name::toString);
        } catch (IOException e) {
            throw new DnsProviderException("cannot ask " + settings.server() + " for the zone of " + owner + ": "
                    + e.getMessage(), true, e);
        }
    }

    @Override
    public String addTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no TXT value to add at " + name);
        }
        Name owner = owner(name);
        Name zone = zoneOf(owner);
        Update update = new Update(zone);
        for (String value : values) {
            update.add(new TXTRecord(owner, DClass.IN, TXT_TTL, value));
        }
        send(update, "add " + values.size() + " TXT at " + owner);
        log.info("added {} TXT value(s) at {} in zone {} on {}", values.size(), owner, zone, settings.server());
        return zone.toString();
    }

    @Override
    public void removeTxt(String name, List<String> values) throws DnsProviderException {
        if (values.isEmpty()) {
            return;
        }
        Name owner = owner(name);
        Name zone = zoneOf(owner);
        Update update = new Update(zone);
        for (String value : values) {
            update.delete(new TXTRecord(owner, DClass.IN, 0, value));
        }
        send(update, "remove " + values.size() + " TXT at " + owner);
        log.info("removed {} TXT value(s) at {} in zone {} on {}", values.size(), owner, zone, settings.server());
    }

    private Name zoneOf(Name owner) throws DnsProviderException {
        try {
            return new ZoneFinder(resolver(false)).zoneOf(owner.toString())
                    .orElseThrow(() -> new DnsProviderException("no zone on " + settings.server() + " holds " + owner
                            + " (no SOA found walking up from it)", false));
        } catch (IOException e) {
            throw new DnsProviderException("cannot ask " + settings.server() + " for the zone of " + owner + ": "
                    + e.getMessage(), true, e);
        }
    }

    private void send(Update update, String what) throws DnsProviderException {
        Message response;
        try {
            response = resolver(true).send(update);
        } catch (IOException e) {
            throw new DnsProviderException(what + ": " + settings.server() + " did not answer (" + e.getMessage() + ")",
                    true, e);
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NOERROR) {
            return;
        }
        String answer = Rcode.string(rcode);
        boolean transientFailure = rcode == Rcode.SERVFAIL;
        String meaning = switch (rcode) {
            case Rcode.NOTAUTH -> "the TSIG key " + settings.keyName() + " was not accepted, or the server is not"
                    + " the primary of the zone";
            case Rcode.REFUSED -> "the server refuses updates of this zone with key " + settings.keyName();
            case Rcode.NOTZONE -> "the name is not in the zone";
            case Rcode.SERVFAIL -> "the server failed; trying again later may help";
            default -> "the update was not applied";
        };
        throw new DnsProviderException(what + ": " + settings.server() + " answered " + answer + " (" + meaning + ")",
                transientFailure);
    }

    private SimpleResolver resolver(boolean signed) {
        SimpleResolver r = new SimpleResolver(settings.server());
        r.setTCP(true);
        r.setTimeout(settings.timeout());
        if (signed) {
            r.setTSIGKey(settings.tsig());
        }
        return r;
    }

    private static Name owner(String name) throws DnsProviderException {
        try {
            return ZoneFinder.absolute(name);
        } catch (IOException e) {
            throw new DnsProviderException("not a DNS name: " + name, false, e);
        }
    }
}
