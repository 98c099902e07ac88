package io.certflow.platform.bench;

import io.certflow.events.CertflowEvent;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.platform.messaging.CloudEventDeserializer;
import io.certflow.platform.outbox.OutboxMessage;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * The platform's two ends of an event on Kafka, as every service runs them: {@link OutboxMessage#of} (the
 * producer side: the event's logical type, topic and JSON, written into the aggregate's outbox) and
 * {@link CloudEventDeserializer} (the consumer side: the {@code ce_type} and {@code ce_id} headers looked up,
 * the type resolved, the value read strictly by the platform's {@code EventReader}). The headers are the
 * CloudEvents binary-mode set the outbox relay writes. {@code CertificateIssued} carries a real chain
 * ({@code bench/chain.pem}).
 *
 * <p>Run with {@code ./certflow bench jmh} (docs/benchmarks.md), not by {@code mvn test}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CloudEventRecordBenchmark {

    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();
    private CertificateIssued issued;
    private ChallengeRequested challenge;
    private byte[] issuedValue;
    private Headers issuedHeaders;
    private byte[] challengeValue;
    private Headers challengeHeaders;

    @Setup
    public void setUp() throws IOException {
        Instant now = Instant.parse("2026-11-27T10:15:30Z");
        issued = new CertificateIssued(UUID.randomUUID(), now, "acct-1", "crt_9b2f6e41c0d84a5f", "att_3c7d1e09",
                "3a1f9c0e77d2b4a5c6e8f0a1b2c3d4e5f6", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                now, now.plusSeconds(90L * 86400 - 1), List.of("www.example.com"),
                "CN=certflow bench intermediate", chainPem(), "29be0c11f0a4", now.plusSeconds(60L * 86400),
                now.plusSeconds(62L * 86400), "https://acme.example.com/docs/ari");
        challenge = new ChallengeRequested(UUID.randomUUID(), now, "acct-1", "crt_9b2f6e41c0d84a5f", "att_3c7d1e09",
                List.of(new ChallengeRequested.DnsChallenge("www.example.com", "_acme-challenge.www.example.com.",
                        "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0")));
        issuedValue = EventJson.write(issued).getBytes(StandardCharsets.UTF_8);
        issuedHeaders = headers(issued);
        challengeValue = EventJson.write(challenge).getBytes(StandardCharsets.UTF_8);
        challengeHeaders = headers(challenge);
        if (!issued.equals(deserializer.deserialize(Topics.CERTIFICATE_ISSUED, issuedHeaders, issuedValue))
                || !challenge.equals(deserializer.deserialize(Topics.CHALLENGE_REQUESTED, challengeHeaders, challengeValue))) {
            throw new IllegalStateException("the deserializer does not read back what was written");
        }
    }

    @Benchmark
    public OutboxMessage outboxCertificateIssued() {
        return OutboxMessage.of(issued);
    }

    @Benchmark
    public OutboxMessage outboxChallengeRequested() {
        return OutboxMessage.of(challenge);
    }

    @Benchmark
    public Object consumeCertificateIssued() {
        return deserializer.deserialize(Topics.CERTIFICATE_ISSUED, issuedHeaders, issuedValue);
    }

    @Benchmark
    public Object consumeChallengeRequested() {
        return deserializer.deserialize(Topics.CHALLENGE_REQUESTED, challengeHeaders, challengeValue);
    }

    /** The headers as the outbox relay writes them (read-only afterwards, as a consumer sees them). */
    private static Headers headers(CertflowEvent event) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventHeaders.of(event, "/issuance-service")
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        headers.setReadOnly();
        return headers;
    }

    private static String chainPem() throws IOException {
        try (InputStream in = CloudEventRecordBenchmark.class.getResourceAsStream("/bench/chain.pem")) {
            if (in == null) {
                throw new IllegalStateException("bench/chain.pem is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
