package io.certflow.verification.bench;

import io.certflow.verification.dns.server.ChallengeRecordStore;
import io.certflow.verification.dns.server.DelegationZoneResponder;
import io.certflow.verification.dns.server.DnsServerSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The delegation zone's DNS answers without sockets: {@link DelegationZoneResponder#respond}, which the
 * server's UDP and TCP threads call with each query's bytes, on a zone of 1000 challenge names shaped as
 * certflow makes them (32 base32 characters under {@code acme.certflow.test.}, 43-character ACME digests,
 * every 5th name two values), the records in memory (what {@code ./certflow bench dns} runs as its
 * diagnostic: the service reads them from MongoDB on every query, which is not measured here). Queries
 * carry EDNS0 as a CA's resolver sends them; hits and misses cycle through 1000 and 100 names.
 *
 * <ul>
 *   <li>{@code respondTxt}: query bytes → TXT answer bytes (parse, look up, build, encode);</li>
 *   <li>{@code respondNxdomain}: the same for a name that does not exist (SOA in the authority section);</li>
 *   <li>{@code parseQuery}, {@code answerTxt}, {@code encodeAnswer}: the three parts of {@code respondTxt}
 *       alone: dnsjava's parsing, the responder's lookup and message building, dnsjava's encoding.</li>
 * </ul>
 *
 * <p>Run with {@code ./certflow bench jmh} (docs/benchmarks.md), not by {@code mvn test}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DelegationZoneResponderBenchmark {

    private static final String ZONE = "acme.certflow.test.";
    private static final int NAMES = 1000;
    private static final int MISSES = 100;
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String DIGEST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private DelegationZoneResponder responder;
    private byte[][] hits;
    private byte[][] misses;
    private Message[] parsedHits;
    private Message[] answers;
    private int nextHit;
    private int nextMiss;

    @Setup
    public void setUp() throws IOException {
        Random random = new Random(20261127L);
        Map<String, List<String>> zone = new HashMap<>();
        hits = new byte[NAMES][];
        parsedHits = new Message[NAMES];
        answers = new Message[NAMES];
        for (int i = 0; i < NAMES; i++) {
            String name = label(random) + "." + ZONE;
            int values = i % 25 == 0 ? 3 : i % 5 == 0 ? 2 : 1;
            String[] txt = new String[values];
            for (int v = 0; v < values; v++) {
                txt[v] = digest(random);
            }
            zone.put(name, List.of(txt));
            hits[i] = query(name);
        }
        misses = new byte[MISSES][];
        for (int i = 0; i < MISSES; i++) {
            misses[i] = query(label(random) + "." + ZONE);
        }
        // the store as the bench server's memory store: a map lookup (MongoChallengeRecordStore in the service)
        ChallengeRecordStore store = name -> zone.getOrDefault(name, List.of());
        responder = new DelegationZoneResponder(DnsServerSettings.of(ZONE, "127.0.0.1", 0), store, 2026112701L);
        for (int i = 0; i < NAMES; i++) {
            parsedHits[i] = new Message(hits[i]);
            answers[i] = responder.answer(parsedHits[i]);
            Message reply = new Message(responder.respond(hits[i], true));
            if (reply.getRcode() != Rcode.NOERROR || reply.getSection(Section.ANSWER).isEmpty()) {
                throw new IllegalStateException("no TXT answer for a published name");
            }
        }
        for (byte[] miss : misses) {
            if (new Message(responder.respond(miss, true)).getRcode() != Rcode.NXDOMAIN) {
                throw new IllegalStateException("a name that does not exist was not NXDOMAIN");
            }
        }
    }

    @Benchmark
    public byte[] respondTxt() {
        int i = nextHit;
        nextHit = i + 1 == NAMES ? 0 : i + 1;
        return responder.respond(hits[i], true);
    }

    @Benchmark
    public byte[] respondNxdomain() {
        int i = nextMiss;
        nextMiss = i + 1 == MISSES ? 0 : i + 1;
        return responder.respond(misses[i], true);
    }

    @Benchmark
    public Message parseQuery() throws IOException {
        int i = nextHit;
        nextHit = i + 1 == NAMES ? 0 : i + 1;
        return new Message(hits[i]);
    }

    @Benchmark
    public Message answerTxt() {
        int i = nextHit;
        nextHit = i + 1 == NAMES ? 0 : i + 1;
        return responder.answer(parsedHits[i]);
    }

    @Benchmark
    public byte[] encodeAnswer() {
        int i = nextHit;
        nextHit = i + 1 == NAMES ? 0 : i + 1;
        return answers[i].toWire();
    }

    /** A TXT query as a resolver sends it: RD clear, EDNS0 with a 1232-octet payload. */
    private static byte[] query(String name) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return query.toWire();
    }

    private static String label(Random random) {
        StringBuilder s = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            s.append(BASE32.charAt(random.nextInt(BASE32.length())));
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    private static String digest(Random random) {
        StringBuilder s = new StringBuilder(43);
        for (int i = 0; i < 43; i++) {
            s.append(DIGEST.charAt(random.nextInt(DIGEST.length())));
        }
        return s.toString();
    }
}
