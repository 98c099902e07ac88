package io.certflow.platform.messaging;

import io.certflow.events.MalformedEventException;
import io.certflow.events.v1.ChallengeReady;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records are read by their logical ce_type; what cannot be read is malformed; unknown types are marked. */
class CloudEventDeserializerTest {

    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();

    private static final String READY = "{\"eventId\":\"6f0c2b1e-8d4a-4c3b-9a57-2f1e0d9c8b7a\","
            + "\"occurredAt\":\"2026-11-27T10:15:30Z\",\"accountId\":\"a\",\"certificateId\":\"c\",\"attemptId\":\"t\","
            + "\"ready\":true}";

    @Test
    void readsTheRecordTheTypeNames() {
        Object event = deserializer.deserialize("certflow.challenge-ready", headers("io.certflow.challenge.ready.v1"), bytes(READY));

        assertThat(event).isInstanceOfSatisfying(ChallengeReady.class, e -> assertThat(e.ready()).isTrue());
    }

    @Test
    void anUnknownTypeIsMarkedNotFailed() {
        Object event = deserializer.deserialize("certflow.challenge-ready", headers("io.certflow.from.the.future.v1"), bytes("{}"));

        assertThat(event).isEqualTo(new UnknownEventType("io.certflow.from.the.future.v1"));
    }

    @Test
    void noTypeHeaderNoValueOrNotJsonIsMalformed() {
        assertThatThrownBy(() -> deserializer.deserialize("t", new RecordHeaders(), bytes("{}")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("ce_type");
        assertThatThrownBy(() -> deserializer.deserialize("t", headers("io.certflow.challenge.ready.v1"), (byte[]) null))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> deserializer.deserialize("t", headers("io.certflow.challenge.ready.v1"), bytes("nope")))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void anUnknownTypeIsKeptFitForALogLine() {
        Object event = deserializer.deserialize("t", headers("io.certflow.forged\nINFO all good" + "x".repeat(500)), bytes("{}"));

        assertThat(event).isInstanceOfSatisfying(UnknownEventType.class, u -> assertThat(u.ceType())
                .startsWith("io.certflow.forged?INFO all good").hasSize(201));
    }

    @Test
    void aRecordWithoutCeIdIsMalformed() {
        RecordHeaders onlyType = new RecordHeaders();
        onlyType.add("ce_type", bytes("io.certflow.challenge.ready.v1"));

        assertThatThrownBy(() -> deserializer.deserialize("t", onlyType, bytes(READY)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("no ce_id header");
    }

    @Test
    void aValueOverTheLimitIsTooLargeAndNotParsed() {
        CloudEventDeserializer small = new CloudEventDeserializer(100);
        byte[] large = new byte[101];

        assertThatThrownBy(() -> small.deserialize("t", headers("io.certflow.challenge.ready.v1"), large))
                .isInstanceOf(MalformedEventException.class).hasMessage("record too large (101 bytes)");
        assertThat(small.deserialize("t", headers("io.certflow.from.the.future.v1"), new byte[100]))
                .isInstanceOf(UnknownEventType.class);
    }

    @Test
    void wrongTypesAreMalformedAndTheReasonNamesTheFieldNotTheValue() {
        assertThatThrownBy(() -> read(READY.replace("\"2026-11-27T10:15:30Z\"", "42")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("wrong type at 'occurredAt'");
        assertThatThrownBy(() -> read(READY.replace("\"6f0c2b1e-8d4a-4c3b-9a57-2f1e0d9c8b7a\"", "\"secret-s3cr3t\"")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("'eventId'")
                .hasMessageNotContaining("s3cr3t").hasNoCause();
        assertThatThrownBy(() -> read("secret-s3cr3t"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON")
                .hasMessageNotContaining("s3cr3t").hasNoCause();
        assertThatThrownBy(() -> read(""))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> read("[]")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> read("null")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> read(READY.replace("\"accountId\":\"a\",", "")))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("missing required field 'accountId'");
    }

    @Test
    void theDeadLetterReasonIsOursWhereWeRaisedIt() {
        Exception wrapped = new IllegalStateException("listener failed", new RejectedEventException("product unknown"));

        assertThat(MessagingConfiguration.reasonOf(wrapped)).isEqualTo("product unknown");
        assertThat(MessagingConfiguration.reasonOf(new IllegalStateException("outer", new RuntimeException("root"))))
                .isEqualTo("root");
    }

    private Object read(String json) {
        return deserializer.deserialize("t", headers("io.certflow.challenge.ready.v1"), bytes(json));
    }

    private static RecordHeaders headers(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", "0b7e4c1a-7f0e-4c49-8d0a-4b1f5e6a7c8d".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
