package io.certflow.order.ordering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules a name must follow before certflow asks a CA for it, in one place: a DNS host name
 * (RFC 1035 letters-digits-hyphen labels, RFC 1123 leading digits), at most 63 characters per label
 * and 253 in all, at least two labels, lower-cased, without the trailing root dot; a wildcard only as
 * the whole leftmost label ({@code *.example.com}). Internationalized names must be given in their
 * ASCII (punycode, {@code xn--}) form, as they appear in certificates.
 */
public final class DomainNames {

    /** Longest name, without the trailing dot (RFC 1035 §2.3.4 leaves 253 characters for text). */
    public static final int MAX_NAME_LENGTH = 253;
    /** Longest label (RFC 1035 §2.3.4). */
    public static final int MAX_LABEL_LENGTH = 63;

    private DomainNames() {
    }

    /**
     * The canonical form of one name: trimmed, lower-cased, trailing dot removed.
     *
     * @throws InvalidOrderException naming the rule the name breaks
     */
    public static String normalize(String raw) {
        if (raw == null) {
            throw new InvalidOrderException("a domain name is missing (null)");
        }
        String name = raw.trim();
        if (name.isEmpty()) {
            throw new InvalidOrderException("a domain name is empty");
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String shown = "'" + printable(raw.trim()) + "'";
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0x7f) {
                throw new InvalidOrderException(shown + " is not ASCII: give an internationalized name in its "
                        + "punycode form (xn--...)");
            }
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new InvalidOrderException(shown + " is the root, not a domain name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidOrderException(shown + " is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH + " are allowed");
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidOrderException(shown + " has a single label; a name needs at least two (e.g. example.com)");
        }
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.equals("*")) {
                if (i != 0) {
                    throw new InvalidOrderException(shown + ": a wildcard may only be the whole leftmost label (*.example.com)");
                }
                continue;
            }
            checkLabel(shown, label);
        }
        boolean wildcard = labels[0].equals("*");
        if (wildcard && labels.length < 3) {
            throw new InvalidOrderException(shown + ": a wildcard needs at least two labels after '*.' (e.g. *.example.com)");
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw new InvalidOrderException(shown + " ends in a numeric label; IP addresses and numeric top-level "
                    + "domains cannot be certified");
        }
        return name;
    }

    /**
     * The canonical forms of the names of one order, in the order given, duplicates removed.
     *
     * @param max the most names allowed
     * @throws InvalidOrderException naming the first name that breaks a rule (and its position)
     */
    public static List<String> normalizeAll(Collection<String> raw, int max) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidOrderException("domains: at least one domain name is required");
        }
        Set<String> names = new LinkedHashSet<>();
        int index = 0;
        for (String name : raw) {
            try {
                names.add(normalize(name));
            } catch (InvalidOrderException e) {
                throw new InvalidOrderException("domains[" + index + "]: " + e.getMessage());
            }
            index++;
        }
        if (names.size() > max) {
            throw new InvalidOrderException("domains: " + names.size() + " distinct names given; at most " + max
                    + " are allowed in one order");
        }
        return List.copyOf(new ArrayList<>(names));
    }

    private static void checkLabel(String shown, String label) {
        if (label.isEmpty()) {
            throw new InvalidOrderException(shown + " has an empty label (two dots in a row, or a leading dot)");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new InvalidOrderException(shown + ": label '" + label + "' is " + label.length()
                    + " characters long; at most " + MAX_LABEL_LENGTH + " are allowed");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ldh) {
                String what = c == '*' ? "a wildcard may only be the whole leftmost label (*.example.com)"
                        : "may contain only letters, digits and hyphens";
                throw new InvalidOrderException(shown + ": label '" + label + "' " + (c == '*' ? "is invalid: " : "") + what);
            }
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            throw new InvalidOrderException(shown + ": label '" + label + "' must not start or end with a hyphen");
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
