package io.certflow.verification.dns.provider.route53;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * TXT values as Route 53 writes them: each value one or more character strings in double quotes, of at most
 * 255 bytes each, with {@code "} and {@code \} escaped by a backslash and bytes outside printable ASCII as
 * octal {@code \NNN}. Exists because Route 53 refuses an unquoted value and returns values in this form.
 */
final class TxtValues {

    private static final int MAX_STRING = 255;

    private TxtValues() {
    }

    /** {@code value} in Route 53's form: {@code "first 255 bytes" "next 255 bytes"}. */
    static String quote(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int start = 0;
        do {
            if (start > 0) {
                out.append(' ');
            }
            out.append('"');
            for (int i = start; i < Math.min(bytes.length, start + MAX_STRING); i++) {
                int b = bytes[i] & 0xff;
                if (b == '"' || b == '\\') {
                    out.append('\\').append((char) b);
                } else if (b < 0x20 || b > 0x7e) {
                    out.append('\\').append(String.format("%03o", b));
                } else {
                    out.append((char) b);
                }
            }
            out.append('"');
            start += MAX_STRING;
        } while (start < bytes.length);
        return out.toString();
    }

    /**
     * The value a Route 53 TXT value stands for: its character strings unescaped and joined, as a resolver
     * joins them. A value that is not quoted (written by some other tool) is read as it stands.
     */
    static String unquote(String rdata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = rdata.strip();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    i = unescapeOne(s, i, out);
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ' ') {
                    i = unescapeOne(s, i, out);
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int unescapeOne(String s, int i, ByteArrayOutputStream out) {
        if (s.charAt(i) == '\\' && isOctal(s, i + 1)) {
            out.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
            return i + 4;
        }
        int at = s.charAt(i) == '\\' && i + 1 < s.length() ? i + 1 : i;
        int end = s.offsetByCodePoints(at, 1);
        out.writeBytes(s.substring(at, end).getBytes(StandardCharsets.UTF_8));
        return end;
    }

    private static boolean isOctal(String s, int from) {
        for (int k = from; k < from + 3; k++) {
            if (k >= s.length() || s.charAt(k) < '0' || s.charAt(k) > '7') {
                return false;
            }
        }
        return true;
    }
}
