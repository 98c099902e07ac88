package io.certflow.platform.messaging;

import io.certflow.events.CertflowEvent;
import io.certflow.events.EventJson;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/**
 * Writes a dead-letter record's value as it arrived: the original bytes for a record that could not
 * be read, the event's JSON for one that was read and then refused. A value larger than certflow's
 * record limit is dropped (the dead-letter record keeps its key, headers and reason, and says in
 * {@link #VALUE_DROPPED_HEADER} how large the value was): the dead-letter topic has the broker's limit,
 * and a dead letter that cannot be written would stop the consumer on the record for ever.
 */
public class DeadLetterValueSerializer implements Serializer<Object> {

    /** Header of a dead-letter record whose value was too large to keep: the value's size. */
    public static final String VALUE_DROPPED_HEADER = "certflow_dlt-value-dropped";

    private final int maxValueBytes;

    public DeadLetterValueSerializer() {
        this(CloudEventDeserializer.DEFAULT_MAX_RECORD_BYTES);
    }

    /** @param maxValueBytes the largest value kept on the dead-letter topic */
    public DeadLetterValueSerializer(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        return serialize(topic, null, value);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object value) {
        byte[] bytes = bytesOf(value);
        if (bytes != null && bytes.length > maxValueBytes) {
            if (headers != null) {
                headers.add(VALUE_DROPPED_HEADER, (bytes.length + " bytes").getBytes(StandardCharsets.UTF_8));
            }
            return null;
        }
        return bytes;
    }

    private static byte[] bytesOf(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof CertflowEvent event) {
            return EventJson.write(event).getBytes(StandardCharsets.UTF_8);
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }
}
