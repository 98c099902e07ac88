package io.certflow.issuance.caa;

import java.util.Locale;
import java.util.Objects;

/**
 * One CAA property (RFC 8659 §4.1): flags, tag and value as published. Exists so that the decision rules read
 * records without a DNS library.
 *
 * @param flags the flags octet; 128 is the Issuer Critical flag
 * @param tag   the property tag ({@code issue}, {@code issuewild}, {@code iodef}, …), as published
 * @param value the property value, without the zone file's quotes
 */
public record CaaRecord(int flags, String tag, String value) {

    /** The Issuer Critical flag: a CA that does not understand the tag must not issue. */
    public static final int CRITICAL = 128;

    public CaaRecord {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(value, "value");
    }

    /** Whether the Issuer Critical flag is set. */
    public boolean critical() {
        return (flags & CRITICAL) != 0;
    }

    /** Whether the tag is {@code tag} (tags compare case-insensitively). */
    public boolean hasTag(String wanted) {
        return tag.equalsIgnoreCase(wanted);
    }

    /** The tag in lower case. */
    public String normalizedTag() {
        return tag.toLowerCase(Locale.ROOT);
    }

    /** Presentation format, as in a zone file: {@code 0 issue "letsencrypt.org"}. */
    @Override
    public String toString() {
        return flags + " " + tag + " \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
