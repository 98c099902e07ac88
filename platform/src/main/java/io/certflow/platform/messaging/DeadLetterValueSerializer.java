package io.certflow.platform.messaging;

import io.certflow.events.CertflowEvent;
import io.certflow.events.EventJson;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/**
 * Writes a dead-letter record's value as it arrived: the original bytes for a record that could not
 * be read, the event's JSON for one that was read and then refused.
 */
public class DeadLetterValueSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object value) {
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
