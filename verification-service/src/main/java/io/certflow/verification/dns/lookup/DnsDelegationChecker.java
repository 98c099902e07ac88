package io.certflow.verification.dns.lookup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a domain's delegation where a CA looks: the CNAME at {@code _acme-challenge.<domain>.} is asked of
 * every authoritative server of its zone ({@link AuthoritativeServers}), and each further link of the chain of
 * the servers of its own zone, until the chain reaches the expected target, loops, grows too long, or ends
 * elsewhere. The expected target and any other name in certflow's delegation zone are never asked: that zone
 * holds no CNAMEs, so the chain ends there. When the first name has no CNAME, its TXT, A and AAAA records tell
 * "wrong record type" from "nothing there".
 */
public final class DnsDelegationChecker implements DelegationChecker {

    private static final Logger log = LoggerFactory.getLogger(DnsDelegationChecker.class);
    private static final int[] OTHER_TYPES = {Type.TXT, Type.A, Type.AAAA};

    private final AuthoritativeServers servers;
    private final Name delegationZone;
    private final int maxChainLength;

    /**
     * @param servers        asks the authoritative servers
     * @param delegationZone certflow's delegation zone, e.g. {@code acme.certflow.test.}
     * @param maxChainLength CNAME links followed before {@link DelegationResult#CHAIN_TOO_LONG}
     */
    public DnsDelegationChecker(AuthoritativeServers servers, String delegationZone, int maxChainLength) {
        this.servers = servers;
        try {
            this.delegationZone = Name.fromString(absolute(delegationZone));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("invalid delegation zone: " + delegationZone, e);
        }
        if (maxChainLength < 1) {
            throw new IllegalArgumentException("the CNAME chain limit must be at least 1, not " + maxChainLength);
        }
        this.maxChainLength = maxChainLength;
    }

    @Override
    public DelegationDiagnosis check(String domain, String expectedTarget) {
        String expected = absolute(expectedTarget);
        String start = "_acme-challenge." + stripDot(domain).toLowerCase(Locale.ROOT) + ".";
        try {
            return new Walk(stripDot(domain), Name.fromString(start), Name.fromString(expected), expected).follow();
        } catch (TextParseException e) {
            return new DelegationDiagnosis(stripDot(domain), DelegationResult.LOOKUP_FAILED,
                    start + " is not a valid DNS name.", expected, List.of());
        } catch (RuntimeException e) {
            log.warn("delegation check of {} failed unexpectedly", start, e);
            return new DelegationDiagnosis(stripDot(domain), DelegationResult.LOOKUP_FAILED,
                    "Looking up " + start + " failed unexpectedly. Try again in a few minutes.", expected, List.of());
        }
    }

    /** One check: the chain followed so far, and the sentences for each finding. */
    private final class Walk {

        private final String domain;
        private final Name start;
        private final String startText;
        private final Name expectedName;
        private final String expected;
        private final List<String> chain = new ArrayList<>();

        Walk(String domain, Name start, Name expectedName, String expected) {
            this.domain = domain;
            this.start = start;
            this.startText = text(start);
            this.expectedName = expectedName;
            this.expected = expected;
        }

        DelegationDiagnosis follow() {
            Set<Name> seen = new HashSet<>();
            seen.add(start);
            Name current = start;
            while (true) {
                if (current.subdomain(delegationZone)) {
                    return chain.isEmpty() ? insideDelegationZone() : wrongTarget(
                            ", another name in certflow's delegation zone (another domain's or an old delegation target)");
                }
                ZoneServers zone = servers.serversOf(current);
                if (zone.status() == ZoneServers.Status.FAILED) {
                    return lookupFailed(current, zone.problem());
                }
                if (zone.status() == ZoneServers.Status.NO_ZONE) {
                    return chain.isEmpty() ? noZone(zone) : wrongTarget(", which does not exist (" + zone.problem() + ")");
                }
                List<ServerAnswer> answers = servers.ask(zone, current, Type.CNAME);
                DelegationDiagnosis trouble = trouble(zone, current, answers);
                if (trouble != null) {
                    return trouble;
                }
                ServerAnswer answer = answers.get(0);
                List<Record> cnames = answer.ofType(Type.CNAME);
                if (cnames.isEmpty()) {
                    if (chain.isEmpty()) {
                        return noCname(zone, answer);
                    }
                    return wrongTarget(answer.rcode() == Rcode.NXDOMAIN ? ", which does not exist" : "");
                }
                Name target = ((CNAMERecord) cnames.get(0)).getTarget();
                chain.add(text(target));
                if (target.equals(expectedName)) {
                    String how = chain.size() == 1 ? "is a CNAME to " + expected
                            : "reaches " + expected + " through " + path();
                    return diagnosis(DelegationResult.VERIFIED, startText + " " + how
                            + ": certflow can now answer DNS-01 challenges for " + domain + ".");
                }
                if (!seen.add(target)) {
                    return diagnosis(DelegationResult.CNAME_LOOP, "The CNAME chain of " + startText + " loops: " + path()
                            + ". Point " + startText + " directly to " + expected + ".");
                }
                if (chain.size() >= maxChainLength) {
                    return diagnosis(DelegationResult.CHAIN_TOO_LONG, "The CNAME chain of " + startText + " has more than "
                            + maxChainLength + " links without reaching " + expected + ". Point " + startText
                            + " directly to " + expected + ".");
                }
                current = target;
            }
        }

        /** A server that failed, a signature that did not validate, or servers that disagree; else null. */
        private DelegationDiagnosis trouble(ZoneServers zone, Name name, List<ServerAnswer> answers) {
            List<ServerAnswer> failed = answers.stream().filter(a -> a.status() == ServerAnswer.Status.FAILED).toList();
            if (!failed.isEmpty()) {
                String which = failed.stream().map(a -> a.server() + " " + a.problem()).collect(Collectors.joining("; "));
                return lookupFailed(name, "the name server" + (failed.size() == 1 ? " " : "s ") + which
                        + ". Every name server in the NS records of " + zone.zoneText() + " must answer for it");
            }
            for (ServerAnswer a : answers) {
                if (a.status() == ServerAnswer.Status.DNSSEC_INVALID) {
                    addTarget(a);
                    return diagnosis(DelegationResult.DNSSEC_INVALID, lead(name) + "The zone " + zone.zoneText()
                            + " is signed with DNSSEC, but the answer of " + a.server() + " for " + text(name)
                            + " does not validate: " + a.problem() + ". CAs that check DNSSEC will refuse it. Re-sign "
                            + zone.zoneText() + " (signatures expire; records must be changed through the signer), or "
                            + "turn DNSSEC off by removing its DS record at the parent zone first, then verify again.");
                }
            }
            Set<String> said = answers.stream().map(a -> a.summary(Type.CNAME)).collect(Collectors.toCollection(LinkedHashSet::new));
            if (said.size() > 1) {
                String who = answers.stream().map(a -> a.server() + ": " + a.summary(Type.CNAME))
                        .collect(Collectors.joining("; "));
                return diagnosis(DelegationResult.SERVERS_DISAGREE, lead(name) + "The name servers of " + zone.zoneText()
                        + " answer differently for " + text(name) + " (" + who + "). A CA may ask any of them: make"
                        + " every name server of " + zone.zoneText() + " serve the same records (a secondary may not"
                        + " have caught up, or one server was left out of a change), then verify again.");
            }
            return null;
        }

        /** The CNAME target a server answered, so that {@code found} shows what DNS holds even when it is invalid. */
        private void addTarget(ServerAnswer answer) {
            answer.ofType(Type.CNAME).stream().findFirst()
                    .ifPresent(r -> chain.add(text(((CNAMERecord) r).getTarget())));
        }

        private DelegationDiagnosis noCname(ZoneServers zone, ServerAnswer answer) {
            String fix = " Create a CNAME record " + startText + " with the value " + expected + ".";
            if (answer.rcode() == Rcode.NXDOMAIN) {
                return diagnosis(DelegationResult.NXDOMAIN, startText + " does not exist (NXDOMAIN) in the zone "
                        + zone.zoneText() + "." + fix);
            }
            Set<String> others = new LinkedHashSet<>();
            for (int type : OTHER_TYPES) {
                for (ServerAnswer other : servers.ask(zone, start, type)) {
                    if (other.status() == ServerAnswer.Status.ANSWERED) {
                        other.ofType(type).forEach(r -> others.add(Type.string(type) + " " + r.rdataToString()));
                    }
                }
            }
            if (!others.isEmpty()) {
                String types = others.stream().map(o -> o.split(" ", 2)[0]).distinct().collect(Collectors.joining(", "));
                return new DelegationDiagnosis(domain, DelegationResult.NOT_A_CNAME, startText + " has " + types
                        + " records instead of a CNAME. Remove them and create a CNAME record with the value "
                        + expected + " (a name with a CNAME can hold no other records).", expected, List.copyOf(others));
            }
            return diagnosis(DelegationResult.NO_RECORD, startText + " exists but has no CNAME record." + fix);
        }

        private DelegationDiagnosis noZone(ZoneServers zone) {
            return diagnosis(DelegationResult.ZONE_NOT_FOUND, domain + " does not exist in DNS: " + zone.problem()
                    + ". Register the domain, or delegate its zone to name servers (NS records in the parent zone),"
                    + " then create a CNAME record " + startText + " with the value " + expected + ".");
        }

        private DelegationDiagnosis insideDelegationZone() {
            return diagnosis(DelegationResult.NO_RECORD, startText + " lies in certflow's own delegation zone "
                    + text(delegationZone) + ", which holds no CNAME records: a domain in it cannot be delegated.");
        }

        private DelegationDiagnosis wrongTarget(String why) {
            String last = chain.get(chain.size() - 1);
            String how = chain.size() == 1 ? "is a CNAME to " + last : "leads to " + last + " (" + path() + ")";
            return diagnosis(DelegationResult.WRONG_TARGET, startText + " " + how + why + ", but it must point to "
                    + expected + ". Change the CNAME record's value to " + expected + ".");
        }

        private DelegationDiagnosis lookupFailed(Name name, String problem) {
            String detail = chain.isEmpty()
                    ? "Looking up " + startText + " failed: " + problem + ". Try again in a few minutes."
                    : startText + " leads to " + text(name) + ", which could not be looked up (" + problem + "). If "
                      + text(name) + " is not meant to lead to " + expected + ", point " + startText + " directly to "
                      + expected + "; otherwise try again in a few minutes.";
            return diagnosis(DelegationResult.LOOKUP_FAILED, detail);
        }

        /** "" for the first name; "_acme-challenge.x leads to y. " for a later link. */
        private String lead(Name name) {
            return name.equals(start) ? "" : startText + " leads to " + text(name) + ". ";
        }

        private String path() {
            return startText + " → " + String.join(" → ", chain);
        }

        private DelegationDiagnosis diagnosis(DelegationResult result, String detail) {
            return new DelegationDiagnosis(domain, result, detail, expected, chain);
        }
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

    @Override
    public Optional<String> zoneOf(String domain) {
        return servers.zoneOf(domain);
    }
}
