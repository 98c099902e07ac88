package io.certflow.order.ordering;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Public ids that cannot be guessed: a type prefix and 128 random bits in lower-case base32, so an
 * id seen in a URL or a log tells nothing about others.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private Ids() {
    }

    /** A new managed certificate id, {@code crt_…}. */
    public static String certificateId() {
        return "crt_" + random();
    }

    /** A new order id for an API order, {@code ord_…}. */
    public static String orderId() {
        return "ord_" + random();
    }

    private static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder out = new StringBuilder(26);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
