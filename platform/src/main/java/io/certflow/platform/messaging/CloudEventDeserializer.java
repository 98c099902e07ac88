package io.certflow.platform.messaging;

import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventType;
import io.certflow.events.MalformedEventException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;

/**
 * Reads a record value into the event record its {@code ce_type} header names: the logical type,
 * never a Java class name. A record larger than certflow's limit, without a {@code ce_type} or
 * {@code ce_id} header, or whose value does not read as that type, is malformed (and goes to the
 * dead-letter topic); an unknown type becomes {@link UnknownEventType}.
 */
public class CloudEventDeserializer implements Deserializer<Object> {

    /** Certflow's default limit of a record value: 1 MiB, the broker's own default. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

    private final int maxRecordBytes;

    public CloudEventDeserializer() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    /** @param maxRecordBytes the largest value read; a larger one is malformed and never parsed */
    public CloudEventDeserializer(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        throw new MalformedEventException("record on " + topic + " has no headers; ce_type is required");
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        if (data != null && data.length > maxRecordBytes) {
            throw new MalformedEventException("record too large (" + data.length + " bytes)");
        }
        String ceType = header(headers, CloudEventHeaders.TYPE);
        if (ceType == null) {
            throw new MalformedEventException("record on " + topic + " has no " + CloudEventHeaders.TYPE + " header");
        }
        EventType type = EventType.ofCeType(ceType).orElse(null);
        if (type == null) {
            return new UnknownEventType(printable(ceType));
        }
        if (data == null) {
            throw new MalformedEventException("record of type " + ceType + " on " + topic + " has no value");
        }
        Object event = EventReader.read(data, type.recordClass());
        if (header(headers, CloudEventHeaders.ID) == null) {
            throw new MalformedEventException("record of type " + ceType + " on " + topic + " has no "
                    + CloudEventHeaders.ID + " header");
        }
        return event;
    }

    /** A header's text fit for a log line: control characters replaced, at most 200 characters. */
    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }

    private static String header(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length == 0) {
            return null;
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
