package io.certflow.platform.outbox;

import io.certflow.events.CertflowEvent;
import io.certflow.events.EventJson;
import io.certflow.events.EventType;

import java.time.Instant;

/**
 * One pending event inside an aggregate document: everything the relay needs to publish it
 * later, written in the same single-document update as the state change that raised it.
 *
 * @param eventId    the event id (also the CloudEvents id)
 * @param type       the event's logical type, e.g. {@code io.certflow.certificate.issued.v1}
 * @param topic      the topic it goes to
 * @param key        the record key (the event's subject)
 * @param payload    the record value, JSON
 * @param occurredAt when the event happened
 */
public record OutboxMessage(String eventId, String type, String topic, String key, String payload,
                            Instant occurredAt) {

    /** The pending form of {@code event}. */
    public static OutboxMessage of(CertflowEvent event) {
        EventType type = EventType.of(event.getClass());
        return new OutboxMessage(event.eventId().toString(), type.ceType(), type.topic(), event.subject(),
                EventJson.write(event), event.occurredAt());
    }

    /** The event this message carries. */
    public CertflowEvent event() {
        EventType eventType = EventType.ofCeType(type)
                .orElseThrow(() -> new IllegalStateException("outbox holds an unknown type " + type));
        return EventJson.read(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), eventType.recordClass());
    }
}
