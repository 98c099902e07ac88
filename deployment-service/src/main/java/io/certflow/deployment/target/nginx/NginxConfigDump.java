package io.certflow.deployment.target.nginx;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration nginx prints with {@code nginx -T} (every file it loaded, each after a
 * {@code # configuration file <path>:} line, the main file first) and gives the {@code server} blocks of its
 * {@code http} context with what serving TLS takes: where they listen, their names, their certificate files.
 * Exists so that discovery asks nginx itself, which has already resolved the paths, checked the syntax and read
 * every included file, instead of guessing at files on disk.
 *
 * <p>It follows nginx's own rules where they matter: {@code include} patterns (relative to the main file's
 * directory) are expanded in place in name order; relative certificate paths are relative to that directory too;
 * {@code ssl_certificate} set in {@code http} is inherited by servers that set none; TLS is a property of a
 * listening address, so a block listening without {@code ssl} on an address another block listens on with
 * {@code ssl} serves TLS too; {@code ssl on} makes all of a block's listens TLS; QUIC and UNIX sockets are left
 * out. Comments, quoted strings, escapes and {@code ${variables}} are read as nginx reads them.
 */
public final class NginxConfigDump {

    private static final Pattern FILE_HEADER = Pattern.compile("^# configuration file (/.*):$");

    private NginxConfigDump() {
    }

    /**
     * A place a server block listens on.
     *
     * @param host the address as written, IPv6 without brackets; null for every address ({@code *},
     *             {@code 0.0.0.0} or none)
     * @param port the port (80 when none is written)
     * @param tls  whether connections there are TLS
     */
    public record Listen(String host, int port, boolean tls) {

        /** {@code host:port} to connect to from this machine: every address is reached on loopback. */
        public String connectAddress() {
            String h = host == null ? "127.0.0.1" : host.equals("::") ? "::1" : host;
            return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
        }
    }

    /**
     * One {@code server} block of the {@code http} context.
     *
     * @param file            the file it is written in
     * @param line            the line its {@code server} directive starts on
     * @param listens         its listens, in order, with TLS as nginx serves it
     * @param serverNames     its {@code server_name} values, in order, as written
     * @param certificates    its {@code ssl_certificate} files (or the {@code http} ones it inherits), absolute
     *                        unless they hold a variable or are {@code data:} values
     * @param certificateKeys its {@code ssl_certificate_key} files, likewise
     */
    public record ServerBlock(String file, int line, List<Listen> listens, List<String> serverNames,
                              List<String> certificates, List<String> certificateKeys) {

        /** The first listen that serves TLS, if any. */
        public java.util.Optional<Listen> tlsListen() {
            return listens.stream().filter(Listen::tls).findFirst();
        }
    }

    /**
     * The server blocks of every {@code http} context, in the order nginx reads them.
     *
     * @throws IllegalArgumentException if the text is not an {@code nginx -T} dump or cannot be read
     */
    public static List<ServerBlock> serverBlocks(String dump) {
        Map<String, String> files = files(dump);
        String main = files.keySet().iterator().next();
        Path prefix = Path.of(main).getParent();
        List<Directive> root = new Includes(files, prefix).expand(main);
        List<ServerBlock> raw = new ArrayList<>();
        for (Directive http : named(root, "http")) {
            List<String> httpCertificates = arguments(http.block(), "ssl_certificate", prefix);
            List<String> httpKeys = arguments(http.block(), "ssl_certificate_key", prefix);
            for (Directive server : named(http.block(), "server")) {
                raw.add(serverBlock(server, prefix, httpCertificates, httpKeys));
            }
        }
        return withSharedTls(raw);
    }

    /** The files of a dump, by path, the main one first. */
    static Map<String, String> files(String dump) {
        Map<String, String> files = new LinkedHashMap<>();
        String current = null;
        StringBuilder content = new StringBuilder();
        for (String line : (dump == null ? "" : dump).split("\n", -1)) {
            Matcher header = FILE_HEADER.matcher(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            if (header.matches()) {
                if (current != null) {
                    files.putIfAbsent(current, content.toString());
                }
                current = header.group(1);
                content.setLength(0);
            } else if (current != null) {
                content.append(line).append('\n');
            }
        }
        if (current == null) {
            throw new IllegalArgumentException("not an nginx -T dump: no '# configuration file' line");
        }
        files.putIfAbsent(current, content.toString());
        return files;
    }

    private static ServerBlock serverBlock(Directive server, Path prefix, List<String> httpCertificates,
                                           List<String> httpKeys) {
        boolean sslOn = named(server.block(), "ssl").stream()
                .anyMatch(d -> d.args().size() == 1 && d.args().get(0).equalsIgnoreCase("on"));
        List<Listen> listens = new ArrayList<>();
        for (Directive listen : named(server.block(), "listen")) {
            Listen parsed = listen(listen);
            if (parsed != null) {
                listens.add(sslOn ? new Listen(parsed.host(), parsed.port(), true) : parsed);
            }
        }
        List<String> names = new ArrayList<>();
        named(server.block(), "server_name").forEach(d -> names.addAll(d.args()));
        List<String> certificates = arguments(server.block(), "ssl_certificate", prefix);
        List<String> keys = arguments(server.block(), "ssl_certificate_key", prefix);
        return new ServerBlock(server.file(), server.line(), List.copyOf(listens), List.copyOf(names),
                certificates.isEmpty() ? httpCertificates : certificates, keys.isEmpty() ? httpKeys : keys);
    }

    /** nginx merges {@code ssl} per address: a listen on an address any block serves TLS on is TLS too. */
    private static List<ServerBlock> withSharedTls(List<ServerBlock> blocks) {
        Set<String> tlsAddresses = new HashSet<>();
        blocks.forEach(b -> b.listens().stream().filter(Listen::tls).forEach(l -> tlsAddresses.add(l.host() + "|" + l.port())));
        List<ServerBlock> merged = new ArrayList<>();
        for (ServerBlock b : blocks) {
            List<Listen> listens = b.listens().stream()
                    .map(l -> new Listen(l.host(), l.port(), l.tls() || tlsAddresses.contains(l.host() + "|" + l.port())))
                    .toList();
            merged.add(new ServerBlock(b.file(), b.line(), listens, b.serverNames(), b.certificates(), b.certificateKeys()));
        }
        return List.copyOf(merged);
    }

    /** A {@code listen}; null for what cannot be read back over TCP (UNIX sockets, QUIC). */
    static Listen listen(Directive listen) {
        if (listen.args().isEmpty()) {
            return null;
        }
        String address = listen.args().get(0);
        List<String> flags = listen.args().subList(1, listen.args().size());
        if (address.startsWith("unix:") || flags.contains("quic")) {
            return null;
        }
        String host;
        String port;
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = address.substring(1, end);
            port = address.length() > end + 2 && address.charAt(end + 1) == ':' ? address.substring(end + 2) : "80";
        } else if (address.chars().allMatch(Character::isDigit)) {
            host = null;
            port = address;
        } else {
            int colon = address.lastIndexOf(':');
            host = colon < 0 ? address : address.substring(0, colon);
            port = colon < 0 ? "80" : address.substring(colon + 1);
        }
        if (host != null && (host.equals("*") || host.equals("0.0.0.0"))) {
            host = null;
        }
        try {
            return new Listen(host == null ? null : host.toLowerCase(Locale.ROOT), Integer.parseInt(port),
                    flags.contains("ssl"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every argument of every {@code name} directive, file paths made absolute against the prefix. */
    private static List<String> arguments(List<Directive> block, String name, Path prefix) {
        List<String> values = new ArrayList<>();
        for (Directive d : named(block, name)) {
            for (String value : d.args()) {
                boolean literal = value.contains("$") || value.startsWith("data:");
                values.add(literal ? value : prefix.resolve(value).normalize().toString());
            }
        }
        return List.copyOf(values);
    }

    private static List<Directive> named(List<Directive> block, String name) {
        return block == null ? List.of() : block.stream().filter(d -> d.name().equals(name)).toList();
    }

    /**
     * One directive: its name, arguments and, for a block directive ({@code http}, {@code server}), the
     * directives inside.
     */
    record Directive(String name, List<String> args, List<Directive> block, String file, int line) {
    }

    /** Parses files into directives and replaces every {@code include} with the files it names, recursively. */
    private record Includes(Map<String, String> files, Path prefix) {

        List<Directive> expand(String file) {
            return expand(new Parser(file, files.get(file)).parse(), new ArrayList<>(List.of(file)));
        }

        private List<Directive> expand(List<Directive> directives, List<String> including) {
            List<Directive> out = new ArrayList<>();
            for (Directive d : directives) {
                if (d.name().equals("include") && d.args().size() == 1 && d.block() == null) {
                    for (String file : matching(d.args().get(0))) {
                        if (including.contains(file)) {
                            throw new IllegalArgumentException("include cycle through " + file);
                        }
                        including.add(file);
                        out.addAll(expand(new Parser(file, files.get(file)).parse(), including));
                        including.remove(including.size() - 1);
                    }
                } else if (d.block() != null) {
                    out.add(new Directive(d.name(), d.args(), expand(d.block(), including), d.file(), d.line()));
                } else {
                    out.add(d);
                }
            }
            return out;
        }

        /** The dumped files an include pattern names, in name order (as nginx's glob gives them). */
        private List<String> matching(String pattern) {
            String absolute = prefix.resolve(pattern).toString();
            if (!absolute.contains("*") && !absolute.contains("?") && !absolute.contains("[")) {
                return files.containsKey(absolute) ? List.of(absolute) : List.of();
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
            return files.keySet().stream().filter(f -> matcher.matches(Path.of(f))).sorted().toList();
        }
    }

    /** nginx's configuration syntax: words and quoted strings, {@code ;}, blocks in braces, {@code #} comments. */
    static final class Parser {

        private enum Kind { WORD, END, OPEN, CLOSE }

        private record Token(Kind kind, String text) {
        }

        private final String file;
        private final String text;
        private int pos;
        private int line = 1;

        Parser(String file, String text) {
            this.file = file;
            this.text = text == null ? "" : text;
        }

        /** The directives of the whole file. */
        List<Directive> parse() {
            return block(false);
        }

        private List<Directive> block(boolean nested) {
            List<Directive> directives = new ArrayList<>();
            List<String> words = new ArrayList<>();
            int start = line;
            for (Token token = next(); token != null; token = next()) {
                switch (token.kind()) {
                    case WORD -> {
                        if (words.isEmpty()) {
                            start = line;
                        }
                        words.add(token.text());
                    }
                    case CLOSE -> {
                        if (!nested || !words.isEmpty()) {
                            throw new IllegalArgumentException(file + ":" + line + ": unexpected '}'");
                        }
                        return directives;
                    }
                    default -> {
                        if (words.isEmpty()) {
                            throw new IllegalArgumentException(file + ":" + line + ": unexpected '" + token.text() + "'");
                        }
                        List<Directive> inner = token.kind() == Kind.OPEN ? block(true) : null;
                        directives.add(new Directive(words.get(0), List.copyOf(words.subList(1, words.size())), inner,
                                file, start));
                        words.clear();
                    }
                }
            }
            if (nested || !words.isEmpty()) {
                throw new IllegalArgumentException(file + ": unexpected end of file");
            }
            return directives;
        }

        /** The next token, or null at the end of the text. */
        private Token next() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '#') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (Character.isWhitespace(c)) {
                    if (c == '\n') {
                        line++;
                    }
                    pos++;
                } else {
                    break;
                }
            }
            if (pos >= text.length()) {
                return null;
            }
            char c = text.charAt(pos);
            return switch (c) {
                case ';' -> punctuation(Kind.END, ";");
                case '{' -> punctuation(Kind.OPEN, "{");
                case '}' -> punctuation(Kind.CLOSE, "}");
                case '"', '\'' -> new Token(Kind.WORD, quoted(c));
                default -> new Token(Kind.WORD, word());
            };
        }

        private Token punctuation(Kind kind, String text) {
            pos++;
            return new Token(kind, text);
        }

        private String quoted(char quote) {
            int startLine = line;
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\' && pos < text.length()) {
                    escape(out);
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    out.append(c);
                }
            }
            throw new IllegalArgumentException(file + ":" + startLine + ": unclosed " + quote + " quote");
        }

        /** A word ends at white space, a semicolon, or an opening brace that does not follow a {@code $}. */
        private String word() {
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                boolean variable = out.length() > 0 && out.charAt(out.length() - 1) == '$';
                if (Character.isWhitespace(c) || c == ';' || (c == '{' && !variable)) {
                    break;
                }
                pos++;
                if (c == '\\' && pos < text.length()) {
                    escape(out);
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        /**
         * The character after a backslash, taken as it is (never ending a word): {@code \" \' \\ \t \r \n} are
         * unescaped, any other keeps its backslash, as nginx does.
         */
        private void escape(StringBuilder out) {
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\'', '\\' -> out.append(e);
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                default -> {
                    if (e == '\n') {
                        line++;
                    }
                    out.append('\\').append(e);
                }
            }
        }
    }
}
