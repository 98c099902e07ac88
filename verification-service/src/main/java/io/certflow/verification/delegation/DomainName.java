package io.certflow.verification.delegation;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A domain a certificate is requested for, checked and normalized once at the edge (HTTP path,
 * event field) so that every authorization, challenge name and DNS query uses one spelling:
 * lower-case ASCII (internationalized names are converted to punycode), no trailing dot.
 *
 * <p>A wildcard {@code *.example.com} is proven with the challenge name of {@code example.com}
 * (RFC 8555 §8.4), so {@link #authorizationDomain()} drops the {@code *.} label: the wildcard and
 * its base share one authorization and one delegation.
 */
public final class DomainName {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private final String name;

    private DomainName(String name) {
        this.name = name;
    }

    /**
     * Parses a domain as a person or an event spells it.
     *
     * @throws InvalidDomainNameException with a sentence saying what is wrong
     */
    public static DomainName parse(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidDomainNameException("a domain name is required");
        }
        String candidate = input.strip();
        if (candidate.endsWith(".")) {
            candidate = candidate.substring(0, candidate.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(candidate, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            if (candidate.startsWith("*.")) {
                ascii = "*." + toAscii(candidate.substring(2), input);
            } else {
                throw invalid(input, "it is not a valid host name");
            }
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid(input, "it needs at least two labels, like example.com");
        }
        if (ascii.length() > 253) {
            throw invalid(input, "it is longer than 253 characters");
        }
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (i == 0 && label.equals("*")) {
                if (labels.length < 3) {
                    throw invalid(input, "a wildcard needs a domain of at least two labels under it");
                }
                continue;
            }
            if (label.isEmpty()) {
                throw invalid(input, "it has an empty label");
            }
            if (!LABEL.matcher(label).matches()) {
                throw invalid(input, "label '" + label
                        + "' may only hold letters, digits and inner hyphens, at most 63 characters");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw invalid(input, "an IP address or numeric top-level label is not a domain");
        }
        return new DomainName(ascii);
    }

    private static String toAscii(String name, String input) {
        try {
            return IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(input, "it is not a valid host name");
        }
    }

    private static InvalidDomainNameException invalid(String input, String why) {
        String shown = input.length() > 80 ? input.substring(0, 80) + "…" : input;
        return new InvalidDomainNameException("'" + shown + "' is not a valid domain name: " + why);
    }

    /** The normalized name, e.g. {@code www.example.com} or {@code *.example.com}. */
    public String value() {
        return name;
    }

    /**
     * The name as people read it: punycode labels ({@code xn--…}) shown in Unicode, e.g. {@code bücher.example}
     * for {@code xn--bcher-kva.example}. DNS only ever sees {@link #value()}.
     */
    public String displayName() {
        return displayName(name);
    }

    /** {@link #displayName()} of an already normalized name. */
    public static String displayName(String ascii) {
        try {
            return IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return ascii;
        }
    }

    /** Whether this is a wildcard name ({@code *.example.com}). */
    public boolean isWildcard() {
        return name.startsWith("*.");
    }

    /** The domain whose authorization covers this name: the name itself, or the base of a wildcard. */
    public DomainName authorizationDomain() {
        return isWildcard() ? new DomainName(name.substring(2)) : this;
    }

    /** The absolute DNS-01 challenge name, {@code _acme-challenge.<domain>.} (wildcards use their base). */
    public String challengeRecordName() {
        return "_acme-challenge." + authorizationDomain().name + ".";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainName other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
