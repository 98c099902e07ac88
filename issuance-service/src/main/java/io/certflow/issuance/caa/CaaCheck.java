package io.certflow.issuance.caa;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CAA pre-check before an ACME order: for each name of the request, finds the relevant CAA record set (RFC
 * 8659 §3) and applies {@link CaaRules}. Exists so that a domain whose CAA forbids the profile's CA fails at once
 * with the record to add, instead of as an order the CA refuses after the challenge round trip.
 *
 * <p>Climbing: the name itself (a wildcard's base name for {@code *.}), then each parent, stopping at the first
 * name with a CAA RRset and at the top-level domain (the root is never asked). The check is advisory (the CA
 * makes the binding one): a lookup without a definite answer is logged and lets the order go on; when the resolver
 * does not answer at all, the remaining names are not asked either. Each name is asked once per check.
 */
public class CaaCheck {

    private static final Logger log = LoggerFactory.getLogger(CaaCheck.class);
    private static final CaaCheck OFF = new CaaCheck(null);

    private final CaaResolver resolver;

    /** @param resolver the DNS side; null turns the check off */
    public CaaCheck(CaaResolver resolver) {
        this.resolver = resolver;
    }

    /** A check that allows everything without asking (no resolver configured). */
    public static CaaCheck off() {
        return OFF;
    }

    /** Whether the check asks DNS at all. */
    public boolean enabled() {
        return resolver != null;
    }

    /**
     * @param domains the names of the request ({@code *.example.com} for a wildcard)
     * @param issuer  the CA and account the order would be placed with
     * @return the first definite refusal, or empty (allowed, or not decidable)
     */
    public Optional<CaaRefusal> check(List<String> domains, CaaIssuer issuer) {
        if (resolver == null) {
            return Optional.empty();
        }
        Map<String, CaaRecordSet> asked = new HashMap<>();
        for (String domain : domains) {
            boolean wildcard = domain.startsWith("*.");
            String name = absolute(wildcard ? domain.substring(2) : domain);
            CaaRecordSet relevant;
            try {
                relevant = relevantSet(name, asked);
            } catch (CaaLookupException e) {
                log.warn("CAA of {} not checked: {}; the order goes on (the CA checks CAA itself)", domain, e.getMessage());
                if (e.unreachable()) {
                    break;
                }
                continue;
            }
            Optional<CaaRules.Denial> denial = CaaRules.decide(relevant, wildcard, issuer);
            if (denial.isPresent()) {
                return Optional.of(new CaaRefusal(domain, relevant, issuer, denial.get()));
            }
        }
        return Optional.empty();
    }

    /** The first non-empty CAA RRset from {@code name} up to its top-level domain; empty when there is none. */
    private CaaRecordSet relevantSet(String name, Map<String, CaaRecordSet> asked) throws CaaLookupException {
        for (String n = name; n != null; n = parent(n)) {
            CaaRecordSet set = asked.get(n);
            if (set == null) {
                set = resolver.lookup(n);
                asked.put(n, set);
            }
            if (!set.isEmpty()) {
                return set;
            }
        }
        return CaaRecordSet.empty(name);
    }

    /** {@code example.com.} for {@code www.example.com.}; null for a top-level domain (never the root). */
    static String parent(String absoluteName) {
        int dot = absoluteName.indexOf('.');
        String rest = absoluteName.substring(dot + 1);
        return rest.isEmpty() ? null : rest;
    }

    private static String absolute(String domain) {
        String n = domain.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    @Override
    public String toString() {
        return resolver == null ? "CaaCheck[off]" : "CaaCheck[" + resolver + "]";
    }
}
