package io.certflow.issuance.caa;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a relevant CAA record set allows a CA to issue for one name: RFC 8659 §4 with the RFC 8657
 * parameters. Exists as a plain function so that every rule has a table test and no DNS.
 *
 * <p>Rules: an empty set allows. A property with the Issuer Critical flag and a tag this service does not know
 * forbids. For a non-wildcard name the {@code issue} properties decide; for a wildcard the {@code issuewild}
 * properties when there is one, else {@code issue}. With no deciding property the set does not restrict. Else
 * one deciding property must name one of the CA's identities (case-insensitive), and its {@code accounturi}
 * (if any) must be the order's account and its {@code validationmethods} (if any) must include {@code dns-01}.
 * A malformed value, and an empty one ({@code issue ";"}), allows no CA.
 */
public final class CaaRules {

    private static final Set<String> KNOWN_TAGS = Set.of("issue", "issuewild", "iodef", "issuemail", "issuevmc",
            "contactemail", "contactphone");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
    private static final Pattern PARAMETER = Pattern.compile("(" + LABEL + ")[ \\t]*=[ \\t]*([\\x21-\\x3A\\x3C-\\x7E]*)");

    /**
     * Why a record set does not allow the CA, and what the domain owner can do.
     *
     * @param why what the set says, e.g. {@code allows only sectigo.com to issue certificates}
     * @param fix what would allow the CA, e.g. {@code add example.com. CAA 0 issue "letsencrypt.org" to that set}
     */
    public record Denial(String why, String fix) {
    }

    /** An {@code issue}/{@code issuewild} value: issuer domain name (lower case, empty for none) and parameters. */
    record IssueValue(String issuer, List<Map.Entry<String, String>> parameters) {

        List<String> values(String tag) {
            return parameters.stream().filter(p -> p.getKey().equalsIgnoreCase(tag)).map(Map.Entry::getValue).toList();
        }
    }

    private CaaRules() {
    }

    /**
     * @param set      the relevant record set of the name (see {@link CaaCheck})
     * @param wildcard whether the name asked for is a wildcard ({@code *.example.com})
     * @param issuer   the CA and account of the order
     * @return empty when the set allows the CA, else why not
     */
    public static Optional<Denial> decide(CaaRecordSet set, boolean wildcard, CaaIssuer issuer) {
        for (CaaRecord r : set.records()) {
            if (r.critical() && !KNOWN_TAGS.contains(r.normalizedTag())) {
                return Optional.of(new Denial("holds the property '" + r.tag() + "' with the Issuer Critical flag "
                        + "(128), which no CA that does not know that tag may pass",
                        "remove that property or clear its critical flag"));
            }
        }
        boolean wild = wildcard && set.records().stream().anyMatch(r -> r.hasTag("issuewild"));
        String tag = wild ? "issuewild" : "issue";
        List<CaaRecord> deciding = set.records().stream().filter(r -> r.hasTag(tag)).toList();
        if (deciding.isEmpty()) {
            return Optional.empty();
        }
        Set<String> others = new LinkedHashSet<>();
        List<String> accounts = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        for (CaaRecord r : deciding) {
            Optional<IssueValue> value = parse(r.value());
            if (value.isEmpty() || value.get().issuer().isEmpty()) {
                continue;
            }
            if (!issuer.isNamedBy(value.get().issuer())) {
                others.add(value.get().issuer());
                continue;
            }
            List<String> accountUris = value.get().values("accounturi");
            List<String> methodLists = value.get().values("validationmethods");
            boolean accountOk = accountUris.stream().allMatch(issuer.accountUri()::equals);
            boolean methodOk = methodLists.stream().allMatch(CaaRules::includesDns01);
            if (accountOk && methodOk) {
                return Optional.empty();
            }
            if (!accountOk) {
                accountUris.stream().filter(u -> !u.equals(issuer.accountUri())).forEach(accounts::add);
            } else {
                methods.addAll(methodLists);
            }
        }
        String record = set.canonicalName() + " CAA 0 " + tag + " \"" + issuer.preferredIdentity()
                + (accounts.isEmpty() ? "" : "; accounturi=" + issuer.accountUri()) + "\"";
        String fix = "add " + record + " to that set";
        String what = wild ? "wildcard certificates" : "certificates";
        if (!accounts.isEmpty()) {
            return Optional.of(new Denial("allows " + issuer.preferredIdentity() + " only for the ACME account "
                    + String.join(", ", accounts) + " (accounturi), not for the profile's account "
                    + issuer.accountUri(), fix));
        }
        if (!methods.isEmpty()) {
            return Optional.of(new Denial("allows " + issuer.preferredIdentity() + " only with the validation "
                    + "methods " + String.join(", ", methods) + " (validationmethods); certflow proves control with "
                    + CaaIssuer.VALIDATION_METHOD, fix));
        }
        if (others.isEmpty()) {
            return Optional.of(new Denial("allows no CA to issue " + what, fix));
        }
        return Optional.of(new Denial("allows only " + String.join(", ", others) + " to issue " + what, fix));
    }

    /** The value of an {@code issue}/{@code issuewild} property (RFC 8659 §4.2), or empty when malformed. */
    static Optional<IssueValue> parse(String value) {
        int semicolon = value.indexOf(';');
        String name = (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
        if (!name.isEmpty() && !DOMAIN.matcher(name).matches()) {
            return Optional.empty();
        }
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (semicolon >= 0) {
            for (String part : value.substring(semicolon + 1).split(";", -1)) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                var m = PARAMETER.matcher(p);
                if (!m.matches()) {
                    return Optional.empty();
                }
                parameters.add(Map.entry(m.group(1), m.group(2)));
            }
        }
        return Optional.of(new IssueValue(name.toLowerCase(Locale.ROOT), parameters));
    }

    private static boolean includesDns01(String methods) {
        for (String m : methods.split(",")) {
            if (m.strip().equalsIgnoreCase(CaaIssuer.VALIDATION_METHOD)) {
                return true;
            }
        }
        return false;
    }
}
