package io.certflow.verification.dns.lookup;

import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DNSKEY records a zone's server publishes, and the check of that server's answers against them. A zone
 * that publishes DNSKEY records is signed, and a CA that validates DNSSEC refuses an answer of it whose
 * signatures do not hold; certflow says so before the CA does.
 *
 * <p>What is validated: the DNSKEY set carries a valid RRSIG by one of its own keys (the zone's keys are
 * self-consistent), and each answer RRset carries a valid RRSIG by one of those keys, signed by the zone,
 * within its inception and expiration times. What is not: the DS link from the parent zone and the chain of
 * trust up to the root's trust anchor, and the NSEC/NSEC3 proofs of negative answers. An RRSIG of an
 * algorithm dnsjava cannot check counts as no signature to check (as for a validator, such a zone is insecure,
 * not broken).
 */
final class ZoneKeys {

    private final Name zone;
    private final List<DNSKEYRecord> keys;
    private final Instant now;
    private final String keyProblem;

    private ZoneKeys(Name zone, List<DNSKEYRecord> keys, RRset keySet, Instant now) {
        this.zone = zone;
        this.keys = keys;
        this.now = now;
        this.keyProblem = keys.isEmpty() ? null : problemWith(keySet);
    }

    /**
     * The keys in a server's answer to a DNSKEY query at the zone's apex (asked with the DO bit).
     *
     * @param now the time signatures must be valid at
     */
    static ZoneKeys from(Name zone, Message dnskeyAnswer, Instant now) {
        List<DNSKEYRecord> keys = new ArrayList<>();
        RRset keySet = null;
        for (RRset rrset : dnskeyAnswer.getSectionRRsets(Section.ANSWER)) {
            if (rrset.getType() == Type.DNSKEY && rrset.getName().equals(zone)) {
                keySet = rrset;
                for (Record r : rrset.rrs()) {
                    DNSKEYRecord key = (DNSKEYRecord) r;
                    if ((key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0
                            && (key.getFlags() & DNSKEYRecord.Flags.REVOKE) == 0) {
                        keys.add(key);
                    }
                }
            }
        }
        return new ZoneKeys(zone, keys, keySet, now);
    }

    /** Whether the zone publishes DNSKEY records (is signed). */
    boolean signed() {
        return !keys.isEmpty();
    }

    /**
     * Why an answer from this server does not validate, or {@code null} when it does (always {@code null} for
     * an unsigned zone): first the DNSKEY set, then every RRset of the answer section owned by {@code name}.
     */
    String problemWith(Message answer, Name name) {
        if (!signed() || keyProblem != null) {
            return keyProblem;
        }
        for (RRset rrset : answer.getSectionRRsets(Section.ANSWER)) {
            if (rrset.getName().equals(name) && rrset.getType() != Type.RRSIG) {
                String problem = problemWith(rrset);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /** Why no RRSIG of the set validates, or {@code null} when one does or none can be checked here. */
    private String problemWith(RRset rrset) {
        String what = "the " + Type.string(rrset.getType()) + " record of " + text(rrset.getName());
        if (rrset.sigs().isEmpty()) {
            return what + " carries no RRSIG signature";
        }
        String problem = null;
        for (RRSIGRecord sig : rrset.sigs()) {
            if (!sig.getSigner().equals(zone)) {
                problem = what + " is signed by " + text(sig.getSigner()) + ", not by its zone " + text(zone);
                continue;
            }
            List<DNSKEYRecord> candidates = keys.stream()
                    .filter(k -> k.getFootprint() == sig.getFootprint() && k.getAlgorithm() == sig.getAlgorithm())
                    .toList();
            if (candidates.isEmpty()) {
                problem = what + " is signed with key tag " + sig.getFootprint() + ", which no DNSKEY record of "
                        + text(zone) + " has";
            }
            for (DNSKEYRecord key : candidates) {
                try {
                    DNSSEC.verify(rrset, sig, key, now);
                    return null;
                } catch (DNSSEC.UnsupportedAlgorithmException e) {
                    // cannot be checked here: neither valid nor broken
                } catch (DNSSEC.SignatureExpiredException e) {
                    problem = what + " has a signature that expired on " + sig.getExpire();
                } catch (DNSSEC.SignatureNotYetValidException e) {
                    problem = what + " has a signature that is not valid before " + sig.getTimeSigned();
                } catch (DNSSEC.DNSSECException e) {
                    problem = what + " does not match its signature (changed after signing?)";
                }
            }
        }
        return problem;
    }

    private static String text(Name name) {
        return name.toString().toLowerCase(Locale.ROOT);
    }
}
