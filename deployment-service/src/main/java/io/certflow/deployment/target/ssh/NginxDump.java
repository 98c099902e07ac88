package io.certflow.deployment.target.ssh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS server blocks in the output of {@code nginx -T} (every configuration file nginx loads, one after the
 * other), as far as discovery needs them: names, TLS ports, and the certificate and key files. It exists so that
 * a host's nginx sites can be listed over SSH and picked from instead of typed in.
 *
 * <p>It reads nginx's syntax (words, quotes, comments, blocks) without knowing its directives. A server block
 * takes {@code ssl_certificate}/{@code ssl_certificate_key} from itself or the blocks around it in the same file;
 * since {@code nginx -T} prints each included file on its own, a certificate set in {@code http} of another file
 * is not seen.
 */
final class NginxDump {

    private NginxDump() {
    }

    /**
     * A server block that serves TLS.
     *
     * @param serverNames its {@code server_name}s, as written
     * @param listens     its TLS {@code listen}s
     * @param certificate the first {@code ssl_certificate}, as written
     * @param key         the first {@code ssl_certificate_key}, as written
     */
    record ServerBlock(List<String> serverNames, List<Listen> listens, String certificate, String key) {
    }

    /**
     * A {@code listen … ssl}.
     *
     * @param host the address, or null for every address ({@code 443}, {@code *:443}, {@code [::]:443})
     * @param port the port
     */
    record Listen(String host, int port) {
    }

    /** The server blocks with at least one {@code listen … ssl} and a certificate and key file. */
    static List<ServerBlock> serverBlocks(String dump) {
        List<ServerBlock> blocks = new ArrayList<>();
        collect(parse(dump), Map.of(), blocks);
        return blocks;
    }

    private static void collect(List<Directive> directives, Map<String, String> inherited, List<ServerBlock> blocks) {
        Map<String, String> here = new HashMap<>(inherited);
        Set<String> setHere = new HashSet<>();
        for (Directive d : directives) {
            if (d.children() == null && (d.name().equals("ssl_certificate") || d.name().equals("ssl_certificate_key"))
                    && !d.args().isEmpty() && setHere.add(d.name())) {
                here.put(d.name(), d.args().get(0));
            }
        }
        for (Directive d : directives) {
            if (d.children() == null) {
                continue;
            }
            if (d.name().equals("server")) {
                server(d.children(), here).ifPresent(blocks::add);
            } else {
                collect(d.children(), here, blocks);
            }
        }
    }

    private static Optional<ServerBlock> server(List<Directive> body, Map<String, String> inherited) {
        List<String> names = new ArrayList<>();
        List<Listen> listens = new ArrayList<>();
        String certificate = inherited.get("ssl_certificate");
        String key = inherited.get("ssl_certificate_key");
        boolean ownCertificate = false;
        boolean ownKey = false;
        for (Directive d : body) {
            if (d.children() != null) {
                continue;
            }
            switch (d.name()) {
                case "server_name" -> names.addAll(d.args());
                case "listen" -> listen(d.args()).ifPresent(listens::add);
                case "ssl_certificate" -> {
                    if (!ownCertificate && !d.args().isEmpty()) {
                        certificate = d.args().get(0);
                        ownCertificate = true;
                    }
                }
                case "ssl_certificate_key" -> {
                    if (!ownKey && !d.args().isEmpty()) {
                        key = d.args().get(0);
                        ownKey = true;
                    }
                }
                default -> {
                }
            }
        }
        if (listens.isEmpty() || certificate == null || key == null) {
            return Optional.empty();
        }
        return Optional.of(new ServerBlock(names, listens, certificate, key));
    }

    /** A {@code listen} with {@code ssl}, or empty (plain HTTP, QUIC, a UNIX socket). */
    private static Optional<Listen> listen(List<String> args) {
        if (args.isEmpty() || !args.contains("ssl") || args.get(0).startsWith("unix:")) {
            return Optional.empty();
        }
        String address = args.get(0);
        String host;
        String port;
        if (address.matches("\\d+")) {
            host = null;
            port = address;
        } else if (address.startsWith("[")) {
            int end = address.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            host = address.substring(1, end);
            port = address.length() > end + 2 && address.charAt(end + 1) == ':' ? address.substring(end + 2) : "80";
        } else {
            int colon = address.lastIndexOf(':');
            host = colon < 0 ? address : address.substring(0, colon);
            port = colon < 0 ? "80" : address.substring(colon + 1);
        }
        if (host != null && (host.equals("*") || host.equals("0.0.0.0") || host.equals("::"))) {
            host = null;
        }
        try {
            int number = Integer.parseInt(port);
            return number < 1 || number > 65535 ? Optional.empty()
                    : Optional.of(new Listen(host, number));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** One directive: a name, its arguments, and its block (null for a simple directive ending in {@code ;}). */
    record Directive(String name, List<String> args, List<Directive> children) {
    }

    /** The directives of nginx configuration text; unbalanced braces end the text. */
    static List<Directive> parse(String text) {
        Tokens tokens = new Tokens(text);
        return block(tokens, false);
    }

    private static List<Directive> block(Tokens tokens, boolean nested) {
        List<Directive> directives = new ArrayList<>();
        List<String> words = new ArrayList<>();
        while (true) {
            Token token = tokens.next();
            if (token == null) {
                return directives;
            }
            if (token.special() == ';') {
                if (!words.isEmpty()) {
                    directives.add(new Directive(words.get(0), List.copyOf(words.subList(1, words.size())), null));
                }
                words.clear();
            } else if (token.special() == '{') {
                List<Directive> children = block(tokens, true);
                if (!words.isEmpty()) {
                    directives.add(new Directive(words.get(0), List.copyOf(words.subList(1, words.size())), children));
                }
                words.clear();
            } else if (token.special() == '}') {
                if (nested) {
                    return directives;
                }
                words.clear();
            } else {
                words.add(token.word());
            }
        }
    }

    /** A word, or one of {@code ; { }}. */
    private record Token(String word, char special) {
    }

    /** nginx's tokenizer: whitespace separates words; quotes and backslashes escape; {@code #} starts a comment. */
    private static final class Tokens {
        private final String text;
        private int at;

        Tokens(String text) {
            this.text = text == null ? "" : text;
        }

        Token next() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (Character.isWhitespace(c)) {
                    at++;
                } else if (c == '#') {
                    while (at < text.length() && text.charAt(at) != '\n') {
                        at++;
                    }
                } else if (c == ';' || c == '{' || c == '}') {
                    at++;
                    return new Token(null, c);
                } else {
                    return word();
                }
            }
            return null;
        }

        private Token word() {
            StringBuilder word = new StringBuilder();
            char quote = 0;
            if (text.charAt(at) == '"' || text.charAt(at) == '\'') {
                quote = text.charAt(at++);
            }
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '\\' && at + 1 < text.length()) {
                    // as nginx: \" \' \\ \t \r \n are unescaped, any other pair is kept (regexes)
                    char escaped = text.charAt(at + 1);
                    switch (escaped) {
                        case '"', '\'', '\\' -> word.append(escaped);
                        case 't' -> word.append('\t');
                        case 'r' -> word.append('\r');
                        case 'n' -> word.append('\n');
                        default -> word.append(c).append(escaped);
                    }
                    at += 2;
                    continue;
                }
                if (quote != 0) {
                    at++;
                    if (c == quote) {
                        break;
                    }
                    word.append(c);
                } else {
                    if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}') {
                        break;
                    }
                    word.append(c);
                    at++;
                }
            }
            return new Token(word.toString(), (char) 0);
        }
    }
}
