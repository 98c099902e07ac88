package io.certflow.testsupport.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.certflow.events.CertflowEvent;
import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Builds one record of each {@link HostileKind} from a valid event of a topic (the template), without
 * sending anything, so what is hostile about each record is plain to read and to test. Every record
 * but {@link HostileKind#OTHER_ACCOUNT} has its own key ({@code hostile-<kind>-<run>}) to be found again
 * on the dead-letter topic; the other account's event is keyed by its subject, as a producer would.
 */
public final class HostileRecordFactory {

    /** Text planted in hostile values that no reason, header or log of a refusal may repeat. */
    public static final String SECRET = "-----BEGIN PRIVATE KEY----- hostile-secret-4f1c";

    /** Size of the {@link HostileKind#TEN_MEGABYTES} value. */
    public static final int TEN_MB = 10 * 1024 * 1024;

    /** The account of the {@link HostileKind#OTHER_ACCOUNT} event: one that owns nothing. */
    public static final String OTHER_ACCOUNT = "account-hostile";

    private static final ObjectMapper JSON = EventJson.mapper();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The key of the record of {@code kind} this factory builds. */
    public String keyOf(HostileKind kind, CertflowEvent template) {
        return kind == HostileKind.OTHER_ACCOUNT ? template.subject() : "hostile-" + kind.name().toLowerCase() + "-" + run;
    }

    /** The record of {@code kind} for {@code topic}, built from {@code template}, on partition 0. */
    public ProducerRecord<String, byte[]> record(HostileKind kind, String topic, CertflowEvent template) {
        ObjectNode json = JSON.valueToTree(template);
        json.put("eventId", UUID.randomUUID().toString());
        Map<String, String> headers = headersOf(template);
        headers.put(CloudEventHeaders.ID, json.get("eventId").asText());
        byte[] value = switch (kind) {
            case NOT_JSON -> bytes("this is not json: " + SECRET);
            case WRONG_TYPE_OCCURRED_AT -> bytes(json.put("occurredAt", 42));
            case WRONG_TYPE_EVENT_ID -> bytes(json.put("eventId", SECRET));
            case WRONG_TYPE_LIST -> bytes(listAsText(json));
            case WRONG_TYPE_VALUE -> bytes("[" + json + "]");
            case UNKNOWN_CE_TYPE -> {
                headers.put(CloudEventHeaders.TYPE, "io.certflow.hostile.unknown.v1");
                yield bytes(json);
            }
            case MISSING_CE_TYPE -> {
                headers.remove(CloudEventHeaders.TYPE);
                yield bytes(json);
            }
            case MISSING_CE_ID -> {
                headers.remove(CloudEventHeaders.ID);
                yield bytes(json);
            }
            case MISSING_HEADERS -> {
                headers.clear();
                yield bytes(json);
            }
            case TEN_MEGABYTES -> bytes(json.put("padding", "x".repeat(TEN_MB)));
            case EMPTY_VALUE -> new byte[0];
            case NULL_VALUE -> null;
            case OTHER_ACCOUNT -> bytes(json.put("accountId", OTHER_ACCOUNT));
        };
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, keyOf(kind, template), value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** The template itself, as a producer sends it, on partition 0 (after the hostile records). */
    public ProducerRecord<String, byte[]> valid(String topic, CertflowEvent template) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, template.subject(),
                EventJson.write(template).getBytes(StandardCharsets.UTF_8));
        headersOf(template).forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static Map<String, String> headersOf(CertflowEvent template) {
        return new LinkedHashMap<>(CloudEventHeaders.of(template, "/hostile-records"));
    }

    private static ObjectNode listAsText(ObjectNode json) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isArray()) {
                return json.put(field.getKey(), "x");
            }
        }
        json.putObject("occurredAt").put("not", "a time");
        return json;
    }

    private static byte[] bytes(Object json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
