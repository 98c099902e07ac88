package io.certflow.testsupport.messaging;

import io.certflow.events.EventJson;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.ChallengeReady;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Each hostile record is hostile in the one way its kind says, and otherwise what a producer sends. */
class HostileRecordFactoryTest {

    private static final String TOPIC = "certflow.certificate-issued";
    private final HostileRecordFactory factory = new HostileRecordFactory();
    private final CertificateIssued issued = new CertificateIssued(UUID.randomUUID(), Instant.parse("2026-11-27T10:00:00Z"),
            "account-a", "cert-1", "attempt-1", "0a", "ff", Instant.parse("2026-11-27T10:00:00Z"),
            Instant.parse("2027-02-25T10:00:00Z"), List.of("a.example"), "CN=CA", "PEM", null);

    @Test
    void wrongTypesAreWrongInTheNamedField() {
        assertThat(value(HostileKind.WRONG_TYPE_OCCURRED_AT)).contains("\"occurredAt\":42");
        assertThat(value(HostileKind.WRONG_TYPE_LIST)).contains("\"domains\":\"x\"");
        assertThat(value(HostileKind.WRONG_TYPE_EVENT_ID)).contains(HostileRecordFactory.SECRET);
        assertThat(value(HostileKind.NOT_JSON)).contains(HostileRecordFactory.SECRET);
    }

    @Test
    void anEventWithoutAListGetsAnObjectForATime() {
        ChallengeReady ready = new ChallengeReady(UUID.randomUUID(), Instant.now(), "account-a", "cert-1", "attempt-1", true, null);

        assertThat(string(factory.record(HostileKind.WRONG_TYPE_LIST, "certflow.challenge-ready", ready).value()))
                .contains("\"occurredAt\":{\"not\":\"a time\"}");
    }

    @Test
    void headersAreMissingOrUnknownAsNamed() {
        assertThat(header(HostileKind.UNKNOWN_CE_TYPE, "ce_type")).isEqualTo("io.certflow.hostile.unknown.v1");
        assertThat(header(HostileKind.MISSING_CE_TYPE, "ce_type")).isNull();
        assertThat(header(HostileKind.MISSING_CE_ID, "ce_id")).isNull();
        assertThat(header(HostileKind.MISSING_CE_ID, "ce_type")).isEqualTo("io.certflow.certificate.issued.v1");
        assertThat(factory.record(HostileKind.MISSING_HEADERS, TOPIC, issued).headers().toArray()).isEmpty();
    }

    @Test
    void sizesAndEmptiness() {
        assertThat(factory.record(HostileKind.TEN_MEGABYTES, TOPIC, issued).value().length)
                .isGreaterThan(HostileRecordFactory.TEN_MB);
        assertThat(factory.record(HostileKind.EMPTY_VALUE, TOPIC, issued).value()).isEmpty();
        assertThat(factory.record(HostileKind.NULL_VALUE, TOPIC, issued).value()).isNull();
    }

    @Test
    void theOtherAccountsEventIsValidButNamesAnotherAccount() {
        ProducerRecord<String, byte[]> record = factory.record(HostileKind.OTHER_ACCOUNT, TOPIC, issued);

        CertificateIssued read = EventJson.read(record.value(), CertificateIssued.class);
        assertThat(read.accountId()).isEqualTo(HostileRecordFactory.OTHER_ACCOUNT);
        assertThat(read.certificateId()).isEqualTo("cert-1");
        assertThat(read.eventId()).isNotEqualTo(issued.eventId()).hasToString(header(record, "ce_id"));
        assertThat(record.key()).isEqualTo("cert-1");
        assertThat(record.partition()).isZero();
    }

    private String value(HostileKind kind) {
        return string(factory.record(kind, TOPIC, issued).value());
    }

    private String header(HostileKind kind, String name) {
        return header(factory.record(kind, TOPIC, issued), name);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : string(header.value());
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
