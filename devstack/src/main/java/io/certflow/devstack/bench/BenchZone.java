package io.certflow.devstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The delegation zone both DNS servers of {@code ./certflow bench dns} answer: {@code names} challenge
 * names shaped like certflow's labels (32 base32 characters) holding ACME-like TXT values (43 base64url
 * characters, as a SHA-256 digest), every fifth name two values and every twenty-fifth three (a domain
 * and its wildcard, or overlapping attempts). Written once as certflow's records file and once as a
 * BIND zone file, and a query file of every name plus a share of names that do not exist. Seeded, so
 * every run asks the same.
 */
final class BenchZone {

    static final String ZONE = "acme.certflow.test.";
    /** TTL of the TXT records, as verification-service serves them. */
    static final int TXT_TTL = 5;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final Map<String, List<String>> records;
    private final List<String> queries;

    /**
     * @param names          challenge names in the zone
     * @param nxdomainShare  share (0..1) of queries for names that do not exist, on top of one per name
     * @param seed           the random seed
     */
    BenchZone(int names, double nxdomainShare, long seed) {
        Random random = new Random(seed);
        records = new LinkedHashMap<>();
        for (int i = 0; i < names; i++) {
            int values = 1 + (i % 5 == 0 ? 1 : 0) + (i % 25 == 0 ? 1 : 0);
            List<String> txt = new ArrayList<>();
            for (int v = 0; v < values; v++) {
                byte[] digest = new byte[32];
                random.nextBytes(digest);
                txt.add(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            }
            records.put(label(random) + "." + ZONE, List.copyOf(txt));
        }
        List<String> q = new ArrayList<>(records.keySet());
        for (int i = 0; i < Math.round(names * nxdomainShare); i++) {
            q.add(label(random) + "." + ZONE);
        }
        Collections.shuffle(q, random);
        queries = List.copyOf(q);
    }

    Map<String, List<String>> records() {
        return records;
    }

    int values() {
        return records.values().stream().mapToInt(List::size).sum();
    }

    List<String> queryNames() {
        return queries;
    }

    /** {@code <name> <value>} per line, what {@code DelegationZoneBenchServer} stores. */
    void writeRecords(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        records.forEach((name, values) -> values.forEach(v -> out.append(name).append(' ').append(v).append('\n')));
        Files.writeString(file, out);
    }

    /** The same zone for BIND: SOA and NS as certflow's server answers them, the TXT records with TTL 5. */
    void writeZoneFile(Path file) throws IOException {
        StringBuilder out = new StringBuilder("""
                $TTL 300
                @   IN SOA ns1.%1$s hostmaster.%1$s 1 3600 600 86400 1
                @   IN NS  ns1.%1$s
                ns1 IN A   127.0.0.1
                """.formatted(ZONE));
        records.forEach((name, values) -> values.forEach(v ->
                out.append(name).append(' ').append(TXT_TTL).append(" IN TXT \"").append(v).append("\"\n")));
        Files.writeString(file, out);
    }

    /** dnsperf's input: {@code <name> TXT} per line. */
    void writeQueries(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        queries.forEach(name -> out.append(name).append(" TXT\n"));
        Files.writeString(file, out);
    }

    private static String label(Random random) {
        StringBuilder label = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            label.append(BASE32[random.nextInt(32)]);
        }
        return label.toString().toLowerCase(Locale.ROOT);
    }
}
