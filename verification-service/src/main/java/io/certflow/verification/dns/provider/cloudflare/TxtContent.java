package io.certflow.verification.dns.provider.cloudflare;

/**
 * The {@code content} of a Cloudflare TXT record: Cloudflare documents it as quoted RFC 1035 character strings
 * ({@code "abc"}) and warns about unquoted content, yet records written before keep it bare. Values are written
 * quoted and read back in either form, so that a value is recognised however it was written.
 */
final class TxtContent {

    private TxtContent() {
    }

    /** {@code value} as one quoted character string, {@code "} and {@code \} escaped. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The text of {@code content}: the quoted strings joined without separator ({@code "ab" "cd"} is
     * {@code abcd}), or {@code content} itself when it is not quoted.
     */
    static String unquote(String content) {
        String s = content.strip();
        if (!s.startsWith("\"")) {
            return content;
        }
        StringBuilder text = new StringBuilder();
        boolean inside = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                inside = !inside;
            } else if (inside && c == '\\' && i + 1 < s.length()) {
                text.append(s.charAt(++i));
            } else if (inside) {
                text.append(c);
            } else if (!Character.isWhitespace(c)) {
                return content; // not a sequence of quoted strings: take it as it is
            }
        }
        return inside ? content : text.toString();
    }
}
