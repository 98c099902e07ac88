package io.certflow.verification.delegation;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes the labels of delegation targets ({@code <label>.<delegation zone>}). A customer's
 * {@code _acme-challenge} CNAME points at such a name, and whoever can guess it could ask certflow
 * to verify someone else's delegation as theirs, so a label is 160 random bits from a
 * {@link SecureRandom}, written as 32 characters of lower-case base32 (RFC 4648 alphabet: letters
 * and the digits 2–7, always a valid DNS label). A label is created for one account and one
 * domain and is never reused.
 */
public final class DelegationLabels {

    /** Random bits in a label (at least 128 are required). */
    public static final int BITS = 160;
    /** Characters in a label: 160 bits / 5 bits per base32 character. */
    public static final int LENGTH = BITS / 5;

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final Pattern SHAPE = Pattern.compile("[a-z2-7]{" + LENGTH + "}");

    private final SecureRandom random;

    public DelegationLabels() {
        this(new SecureRandom());
    }

    public DelegationLabels(SecureRandom random) {
        this.random = random;
    }

    /** A new, unguessable label. */
    public String newLabel() {
        byte[] bytes = new byte[BITS / 8];
        random.nextBytes(bytes);
        return base32(bytes);
    }

    /** Whether {@code label} has the shape of a label made here (any case). */
    public static boolean isWellFormed(String label) {
        return label != null && SHAPE.matcher(label.toLowerCase(Locale.ROOT)).matches();
    }

    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }
}
