package io.certflow.order.ordering;

import com.google.common.net.InternetDomainName;
import com.ibm.icu.text.IDNA;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules a name must follow before certflow asks a CA for it, in one place: a DNS host name
 * (RFC 1035 letters-digits-hyphen labels, RFC 1123 leading digits), at most 63 characters per label
 * and 253 in all, at least two labels, lower-cased, without the trailing root dot; a wildcard only as
 * the whole leftmost label ({@code *.example.com}). Internationalized names are converted to their
 * ASCII (punycode, {@code xn--}) form by UTS #46 (IDNA 2008), as they appear in certificates. A public
 * suffix ({@code co.uk}, {@code github.io}: the public suffix list as shipped by Guava) is nobody's
 * name to certify, and a wildcard directly under one would cover every registrant below it.
 */
public final class DomainNames {

    /** Longest name, without the trailing dot (RFC 1035 §2.3.4 leaves 253 characters for text). */
    public static final int MAX_NAME_LENGTH = 253;
    /** Longest label (RFC 1035 §2.3.4). */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final IDNA IDNA_UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.USE_STD3_RULES | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);

    private DomainNames() {
    }

    /**
     * The canonical form of one name: trimmed, lower-cased, trailing dot removed.
     *
     * @throws InvalidOrderException naming the rule the name breaks
     */
    public static String normalize(String raw) {
        if (raw == null) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, "a domain name is missing (null)");
        }
        String name = raw.trim();
        if (name.isEmpty()) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, "a domain name is empty");
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String shown = "'" + printable(raw.trim()) + "'";
        if (!name.chars().allMatch(c -> c <= 0x7f)) {
            name = toAscii(shown, name);
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " is the root, not a domain name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH + " are allowed");
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " has a single label; a name needs at least two (e.g. example.com)");
        }
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.equals("*")) {
                if (i != 0) {
                    throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + ": a wildcard may only be the whole leftmost label (*.example.com)");
                }
                continue;
            }
            checkLabel(shown, label);
        }
        boolean wildcard = labels[0].equals("*");
        if (wildcard && labels.length < 3) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + ": a wildcard needs at least two labels after '*.' (e.g. *.example.com)");
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " ends in a numeric label; IP addresses and numeric top-level "
                    + "domains cannot be certified");
        }
        String base = wildcard ? name.substring(2) : name;
        if (base.startsWith("xn--") || base.contains(".xn--")) {
            IDNA.Info info = new IDNA.Info();
            IDNA_UTS46.nameToUnicode(base, new StringBuilder(), info);
            if (info.hasErrors()) {
                throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " has a punycode (xn--) label that is not a valid "
                        + "internationalized name (" + describe(info) + ")");
            }
        }
        if (InternetDomainName.isValid(base) && InternetDomainName.from(base).isPublicSuffix()) {
            throw new InvalidOrderException(ReasonCode.PUBLIC_SUFFIX, wildcard
                    ? shown + ": '" + base + "' is a public suffix, and a wildcard under it would cover every registrant's names"
                    : shown + " is a public suffix: certificates are for names registered under it (e.g. example." + base + ")");
        }
        return name;
    }

    /** The ASCII form of a name with Unicode labels (UTS #46 non-transitional, STD3 rules, bidi and joiner checks). */
    private static String toAscii(String shown, String name) {
        boolean wildcard = name.startsWith("*.");
        StringBuilder ascii = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        IDNA_UTS46.nameToASCII(wildcard ? name.substring(2) : name, ascii, info);
        if (info.hasErrors()) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " is not a valid internationalized domain name (" + describe(info) + ")");
        }
        return (wildcard ? "*." : "") + ascii;
    }

    private static String describe(IDNA.Info info) {
        return info.getErrors().stream().map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .sorted().collect(Collectors.joining(", "));
    }

    /**
     * The canonical forms of the names of one order, in the order given, duplicates removed.
     *
     * @param max the most names allowed
     * @throws InvalidOrderException naming the first name that breaks a rule (and its position)
     */
    public static List<String> normalizeAll(Collection<String> raw, int max) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, "domains: at least one domain name is required");
        }
        Set<String> names = new LinkedHashSet<>();
        int index = 0;
        for (String name : raw) {
            try {
                names.add(normalize(name));
            } catch (InvalidOrderException e) {
                throw new InvalidOrderException(e.code(), "domains[" + index + "]: " + e.getMessage());
            }
            index++;
        }
        if (names.size() > max) {
            throw new InvalidOrderException(ReasonCode.TOO_MANY_DOMAINS, "domains: " + names.size() + " distinct names given; at most " + max
                    + " are allowed in one order");
        }
        return List.copyOf(new ArrayList<>(names));
    }

    private static void checkLabel(String shown, String label) {
        if (label.isEmpty()) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + " has an empty label (two dots in a row, or a leading dot)");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + ": label '" + label + "' is " + label.length()
                    + " characters long; at most " + MAX_LABEL_LENGTH + " are allowed");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ldh) {
                String what = c == '*' ? "a wildcard may only be the whole leftmost label (*.example.com)"
                        : "may contain only letters, digits and hyphens";
                throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + ": label '" + label + "' " + (c == '*' ? "is invalid: " : "") + what);
            }
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw new InvalidOrderException(ReasonCode.INVALID_DOMAIN, shown + ": label '" + label + "' must not start or end with a hyphen");
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
