package io.certflow.platform.messaging;

import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/** Writes a dead-letter record's key as it arrived (keys are strings or raw bytes). */
public class DeadLetterKeySerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object key) {
        if (key == null) {
            return null;
        }
        return key instanceof byte[] bytes ? bytes : key.toString().getBytes(StandardCharsets.UTF_8);
    }
}
