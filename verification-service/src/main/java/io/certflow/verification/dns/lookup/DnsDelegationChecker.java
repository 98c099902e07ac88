package io.certflow.verification.dns.lookup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a domain's delegation by asking one resolver (configured as {@code host:port}) for the
 * CNAME at {@code _acme-challenge.<domain>.} and following the chain, one CNAME query per link,
 * until it reaches the expected target, loops, grows too long, or ends elsewhere. When the first
 * name has no CNAME it asks for TXT, A and AAAA to tell "wrong record type" from "nothing there".
 */
public final class DnsDelegationChecker implements DelegationChecker {

    private static final Logger log = LoggerFactory.getLogger(DnsDelegationChecker.class);
    private static final int[] OTHER_TYPES = {Type.TXT, Type.A, Type.AAAA};

    private final ResolverSettings settings;

    public DnsDelegationChecker(ResolverSettings settings) {
        this.settings = settings;
    }

    @Override
    public DelegationDiagnosis check(String domain, String expectedTarget) {
        String expected = absolute(expectedTarget);
        String start = "_acme-challenge." + stripDot(domain).toLowerCase(Locale.ROOT) + ".";
        try {
            return follow(domain, Name.fromString(start), Name.fromString(expected), expected);
        } catch (TextParseException e) {
            return new DelegationDiagnosis(domain, DelegationResult.LOOKUP_FAILED,
                    start + " is not a valid DNS name.", expected, List.of());
        } catch (RuntimeException e) {
            log.warn("delegation check of {} failed unexpectedly", start, e);
            return new DelegationDiagnosis(domain, DelegationResult.LOOKUP_FAILED,
                    "Looking up " + start + " failed unexpectedly. Try again in a few minutes.", expected, List.of());
        }
    }

    private DelegationDiagnosis follow(String domain, Name start, Name expectedName, String expected) {
        String startText = text(start);
        List<String> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(startText);
        Name current = start;
        while (true) {
            Lookup lookup = query(current, Type.CNAME);
            if (lookup.failure() != null) {
                String detail = chain.isEmpty()
                        ? "Looking up " + startText + " failed: " + lookup.failure()
                          + ". Try again in a few minutes."
                        : startText + " leads to " + text(current) + ", which could not be looked up ("
                          + lookup.failure() + "). If " + text(current) + " is not meant to lead to " + expected
                          + ", point " + startText + " directly to " + expected
                          + "; otherwise try again in a few minutes.";
                return diagnosis(domain, DelegationResult.LOOKUP_FAILED, detail, expected, chain);
            }
            CNAMERecord cname = lookup.records().stream()
                    .filter(r -> r instanceof CNAMERecord && r.getName().equals(lookup.name()))
                    .map(CNAMERecord.class::cast)
                    .findFirst().orElse(null);
            if (cname == null) {
                if (chain.isEmpty()) {
                    return noCname(domain, start, lookup, expected);
                }
                String how = chain.size() == 1 ? "is a CNAME to " + chain.get(0)
                        : "leads to " + chain.get(chain.size() - 1) + " (" + path(startText, chain) + ")";
                return diagnosis(domain, DelegationResult.WRONG_TARGET,
                        startText + " " + how + ", but it must point to " + expected
                        + ". Change the CNAME record's value to " + expected + ".", expected, chain);
            }
            Name target = cname.getTarget();
            String targetText = text(target);
            chain.add(targetText);
            if (target.equals(expectedName)) {
                String how = chain.size() == 1 ? "is a CNAME to " + expected
                        : "reaches " + expected + " through " + path(startText, chain);
                return diagnosis(domain, DelegationResult.VERIFIED,
                        startText + " " + how + ": certflow can now answer DNS-01 challenges for "
                        + stripDot(domain) + ".", expected, chain);
            }
            if (!seen.add(targetText)) {
                return diagnosis(domain, DelegationResult.CNAME_LOOP,
                        "The CNAME chain of " + startText + " loops: " + path(startText, chain)
                        + ". Point " + startText + " directly to " + expected + ".", expected, chain);
            }
            if (chain.size() >= settings.maxChainLength()) {
                return diagnosis(domain, DelegationResult.CHAIN_TOO_LONG,
                        "The CNAME chain of " + startText + " has more than " + settings.maxChainLength()
                        + " links without reaching " + expected + ". Point " + startText + " directly to "
                        + expected + ".", expected, chain);
            }
            current = target;
        }
    }

    private DelegationDiagnosis noCname(String domain, Name start, Lookup lookup, String expected) {
        String startText = text(start);
        String fix = " Create a CNAME record " + startText + " with the value " + expected + ".";
        if (lookup.rcode() == Rcode.NXDOMAIN) {
            return diagnosis(domain, DelegationResult.NXDOMAIN,
                    startText + " does not exist (NXDOMAIN)." + fix, expected, List.of());
        }
        List<String> others = new ArrayList<>();
        for (int type : OTHER_TYPES) {
            Lookup other = query(start, type);
            if (other.failure() == null) {
                for (Record r : other.records()) {
                    if (r.getName().equals(start) && r.getType() == type) {
                        others.add(Type.string(type) + " " + r.rdataToString());
                    }
                }
            }
        }
        if (!others.isEmpty()) {
            return diagnosis(domain, DelegationResult.NOT_A_CNAME,
                    startText + " has " + String.join(", ", others.stream().map(o -> o.split(" ", 2)[0])
                            .distinct().toList())
                    + " records instead of a CNAME. Remove them and create a CNAME record with the value "
                    + expected + " (a name with a CNAME can hold no other records).", expected, others);
        }
        return diagnosis(domain, DelegationResult.NO_RECORD,
                startText + " exists but has no CNAME record." + fix, expected, List.of());
    }

    private Lookup query(Name name, int type) {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(settings.host(), settings.port()));
        resolver.setTimeout(settings.timeout());
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        IOException last = null;
        for (int attempt = 0; attempt < settings.attempts(); attempt++) {
            try {
                Message response = resolver.send(query);
                int rcode = response.getRcode();
                if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                    return Lookup.failed(name, "the resolver answered " + Rcode.string(rcode));
                }
                return new Lookup(name, rcode, response.getSection(Section.ANSWER), null);
            } catch (IOException e) {
                last = e;
            }
        }
        log.debug("no answer for {} {} from {}:{}: {}", name, Type.string(type), settings.host(), settings.port(),
                last == null ? "" : last.toString());
        return Lookup.failed(name, "no answer from the resolver within "
                + settings.timeout().multipliedBy(settings.attempts()).toMillis() / 1000.0 + " s");
    }

    private static DelegationDiagnosis diagnosis(String domain, DelegationResult result, String detail,
                                                 String expected, List<String> found) {
        return new DelegationDiagnosis(stripDot(domain), result, detail, expected, found);
    }

    private static String path(String start, List<String> chain) {
        return start + " → " + String.join(" → ", chain);
    }

    private static String text(Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private static String absolute(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private record Lookup(Name name, int rcode, List<Record> records, String failure) {
        static Lookup failed(Name name, String why) {
            return new Lookup(name, -1, List.of(), why);
        }
    }
}
