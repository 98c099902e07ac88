package io.certflow.platform.messaging;

import io.certflow.events.CloudEventHeaders;
import io.certflow.events.EventJson;
import io.certflow.events.EventType;
import io.certflow.events.MalformedEventException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;

/**
 * Reads a record value into the event record its {@code ce_type} header names: the logical type,
 * never a Java class name. A record without the header, or whose value does not read as that type,
 * is malformed (and goes to the dead-letter topic); an unknown type becomes {@link UnknownEventType}.
 */
public class CloudEventDeserializer implements Deserializer<Object> {

    @Override
    public Object deserialize(String topic, byte[] data) {
        throw new MalformedEventException("record on " + topic + " has no headers; ce_type is required");
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] data) {
        Header typeHeader = headers == null ? null : headers.lastHeader(CloudEventHeaders.TYPE);
        if (typeHeader == null || typeHeader.value() == null) {
            throw new MalformedEventException("record on " + topic + " has no " + CloudEventHeaders.TYPE + " header");
        }
        String ceType = new String(typeHeader.value(), StandardCharsets.UTF_8);
        EventType type = EventType.ofCeType(ceType).orElse(null);
        if (type == null) {
            return new UnknownEventType(ceType);
        }
        if (data == null) {
            throw new MalformedEventException("record of type " + ceType + " on " + topic + " has no value");
        }
        return EventJson.read(data, type.recordClass());
    }
}
