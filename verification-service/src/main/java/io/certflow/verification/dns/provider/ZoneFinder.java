package io.certflow.verification.dns.provider;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the zone that holds a name by asking a server for SOA records, walking up one label at a time: the
 * SOA in the answer (the name is the apex) or in the authority section of an NXDOMAIN / NODATA answer names
 * the zone (unless the name is a CNAME, whose answer's authority is the target's zone). Exists so that the zone is found, not guessed from the last two labels (which is wrong for
 * {@code example.co.uk} and for delegated sub-zones).
 */
public final class ZoneFinder {

    private final Resolver resolver;

    /** @param resolver the server to ask: the provider's own authoritative server, not a cache */
    public ZoneFinder(Resolver resolver) {
        this.resolver = resolver;
    }

    /**
     * The zone of {@code name} as this server sees it, or empty when no label up to the root has a SOA there
     * (the server holds no zone for the name).
     *
     * @throws IOException when the server cannot be asked
     */
    public Optional<Name> zoneOf(String name) throws IOException {
        Name candidate = absolute(name);
        while (candidate.labels() > 1) {
            Message response = resolver.send(Message.newQuery(Record.newRecord(candidate, Type.SOA, DClass.IN)));
            int rcode = response.getRcode();
            if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                boolean alias = false;
                for (Record r : response.getSection(Section.ANSWER)) {
                    if (r instanceof SOARecord && r.getName().equals(candidate)) {
                        return Optional.of(candidate);
                    }
                    alias |= r instanceof CNAMERecord && r.getName().equals(candidate);
                }
                // behind a CNAME the authority section speaks for the target's zone, not the candidate's
                for (Record r : alias ? List.<Record>of() : response.getSection(Section.AUTHORITY)) {
                    if (r instanceof SOARecord && candidate.subdomain(r.getName())) {
                        return Optional.of(r.getName());
                    }
                }
            }
            candidate = new Name(candidate, 1);
        }
        return Optional.empty();
    }

    static Name absolute(String name) throws TextParseException {
        return Name.fromString(name.endsWith(".") ? name : name + ".");
    }
}
