package io.certflow.events.bench;

import io.certflow.events.EventJson;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeRequested;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@link EventJson} on the three events of every issuance, as the services run it: {@code write} is what
 * an aggregate does when it puts an event in its outbox ({@code OutboxMessage.of}), {@code read} what a
 * consumer does with the record value. {@code CertificateIssued} carries a real chain (an EC P-256 leaf
 * and an RSA 2048 intermediate, 2.2 KB of PEM: {@code bench/chain.pem}), the largest value on the topics.
 *
 * <p>Run with {@code ./certflow bench jmh} (docs/benchmarks.md), not by {@code mvn test}: a JMH benchmark,
 * not a JUnit test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventJsonBenchmark {

    private CertificateIssued issued;
    private CertificateRequested requested;
    private ChallengeRequested challenge;
    private byte[] issuedJson;
    private byte[] requestedJson;
    private byte[] challengeJson;

    @Setup
    public void setUp() throws IOException {
        Instant now = Instant.parse("2026-11-27T10:15:30Z");
        String chain = chainPem();
        issued = new CertificateIssued(UUID.randomUUID(), now, "acct-1", "crt_9b2f6e41c0d84a5f", "att_3c7d1e09",
                "3a1f9c0e77d2b4a5c6e8f0a1b2c3d4e5f6", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                now, now.plusSeconds(90L * 86400 - 1), List.of("www.example.com"),
                "CN=certflow bench intermediate", chain, "29be0c11f0a4", now.plusSeconds(60L * 86400),
                now.plusSeconds(62L * 86400), "https://acme.example.com/docs/ari");
        requested = new CertificateRequested(UUID.randomUUID(), now, "acct-1", "crt_9b2f6e41c0d84a5f",
                "billing-2026-000042", List.of("www.example.com", "example.com"), "dv-multi", 1,
                now.plusSeconds(365L * 86400), true, "default", "EC_P256", false, "CNAME_DELEGATION");
        challenge = new ChallengeRequested(UUID.randomUUID(), now, "acct-1", "crt_9b2f6e41c0d84a5f", "att_3c7d1e09",
                List.of(new ChallengeRequested.DnsChallenge("www.example.com", "_acme-challenge.www.example.com.",
                        "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0")));
        issuedJson = EventJson.write(issued).getBytes(StandardCharsets.UTF_8);
        requestedJson = EventJson.write(requested).getBytes(StandardCharsets.UTF_8);
        challengeJson = EventJson.write(challenge).getBytes(StandardCharsets.UTF_8);
        // what is measured must be what is checked: the values read back into equal records
        check(EventJson.read(issuedJson, CertificateIssued.class).equals(issued), "CertificateIssued");
        check(EventJson.read(requestedJson, CertificateRequested.class).equals(requested), "CertificateRequested");
        check(EventJson.read(challengeJson, ChallengeRequested.class).equals(challenge), "ChallengeRequested");
    }

    @Benchmark
    public String writeCertificateIssued() {
        return EventJson.write(issued);
    }

    @Benchmark
    public CertificateIssued readCertificateIssued() {
        return EventJson.read(issuedJson, CertificateIssued.class);
    }

    @Benchmark
    public String writeCertificateRequested() {
        return EventJson.write(requested);
    }

    @Benchmark
    public CertificateRequested readCertificateRequested() {
        return EventJson.read(requestedJson, CertificateRequested.class);
    }

    @Benchmark
    public String writeChallengeRequested() {
        return EventJson.write(challenge);
    }

    @Benchmark
    public ChallengeRequested readChallengeRequested() {
        return EventJson.read(challengeJson, ChallengeRequested.class);
    }

    static String chainPem() throws IOException {
        try (InputStream in = EventJsonBenchmark.class.getResourceAsStream("/bench/chain.pem")) {
            if (in == null) {
                throw new IllegalStateException("bench/chain.pem is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " does not read back as written");
        }
    }
}
