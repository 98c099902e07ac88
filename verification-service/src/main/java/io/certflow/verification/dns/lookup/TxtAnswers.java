package io.certflow.verification.dns.lookup;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The TXT values each authoritative server of a name's zone answers at the name, or why a server (or the
 * zone) gave no answer. A CA may ask any of those servers, so a challenge record counts as published only when
 * {@link #allServe every one} serves it.
 *
 * @param name    the absolute name asked
 * @param zone    its zone, absolute; {@code null} when not found
 * @param servers one entry per NS record of the zone; empty when the zone or its servers were not found
 * @param problem why no server could be asked ({@code null} when they were)
 */
public record TxtAnswers(String name, String zone, List<ServerTxt> servers, String problem) {

    public TxtAnswers {
        Objects.requireNonNull(name, "name");
        servers = List.copyOf(servers);
    }

    /**
     * What one server answered.
     *
     * @param server  its name and the address asked, e.g. {@code ns1.example.com. (192.0.2.1)}
     * @param values  the TXT values at the name (each record's strings joined); empty when there are none
     * @param problem why it gave no usable answer (no answer, an error code, not authoritative, DNSSEC
     *                signatures that do not validate, a CNAME at the name), or {@code null}
     */
    public record ServerTxt(String server, List<String> values, String problem) {

        public ServerTxt {
            Objects.requireNonNull(server, "server");
            values = List.copyOf(values);
        }

        /** Whether the server gave a usable answer. */
        public boolean answered() {
            return problem == null;
        }
    }

    /** Whether the zone's servers were found and every one of them answers with all of {@code values}. */
    public boolean allServe(Collection<String> values) {
        return problem == null && !servers.isEmpty()
                && servers.stream().allMatch(s -> s.answered() && s.values().containsAll(values));
    }

    /** One sentence for a reason text: what each server answered, or why none could be asked. */
    public String describe() {
        if (problem != null) {
            return "TXT " + name + ": " + problem;
        }
        return "TXT " + name + " on the " + servers.size() + " authoritative server" + (servers.size() == 1 ? "" : "s")
                + " of " + zone + ": " + servers.stream().map(TxtAnswers::describe).collect(Collectors.joining("; "));
    }

    private static String describe(ServerTxt server) {
        if (!server.answered()) {
            return server.server() + " " + server.problem();
        }
        if (server.values().isEmpty()) {
            return server.server() + " has none";
        }
        return server.server() + " has " + server.values().stream().map(v -> "\"" + v + "\"")
                .collect(Collectors.joining(", "));
    }
}
