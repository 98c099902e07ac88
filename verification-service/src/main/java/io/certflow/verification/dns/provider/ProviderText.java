package io.certflow.verification.dns.provider;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * Names and texts as the HTTP-API adapters handle them: the owner name in the form provider APIs take, its
 * parent for the walk up to the zone, the values an add must still write, a vendor's message made safe to show,
 * and the endpoint as a base URL.
 */
public final class ProviderText {

    /** How much of a vendor's message is kept in an error. */
    private static final int MAX_MESSAGE = 300;

    private ProviderText() {
    }

    /** The lower-case name without its final dot, refused unless it is a name below a top-level domain. */
    public static String owner(String name) throws DnsProviderException {
        try {
            Name parsed = Name.fromString(name.endsWith(".") ? name : name + ".");
            if (parsed.labels() < 3) {
                throw new DnsProviderException("not a name below a top-level domain: " + name, false);
            }
            return parsed.canonicalize().toString(true);
        } catch (TextParseException e) {
            throw new DnsProviderException("not a DNS name: " + name, false, e);
        }
    }

    /** The name one label up ({@code example.com} for {@code www.example.com}). */
    public static String parent(String name) {
        return name.substring(name.indexOf('.') + 1);
    }

    /**
     * A vendor's message on one line, shortened, and without any of {@code secrets} should a server ever echo one.
     */
    public static String scrub(String message, String... secrets) {
        String s = message == null ? "" : message.strip().replaceAll("\\s+", " ");
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                s = s.replace(secret, "***");
            }
        }
        return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "…" : s;
    }

    /** The values of {@code wanted} not among {@code present}, each once, in their order: what an add must write. */
    public static List<String> missing(List<String> wanted, Collection<String> present) {
        return wanted.stream().distinct().filter(v -> !present.contains(v)).toList();
    }

    /** The endpoint without a trailing slash, to append paths or queries to. */
    public static String base(URI endpoint) {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
