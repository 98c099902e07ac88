package io.certflow.events;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding, binary content mode. Any
 * CloudEvents SDK reads a certflow record with these headers and the JSON value.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    /** The CloudEvents specification version certflow writes. */
    public static final String SPEC_VERSION_1_0 = "1.0";
    /** The content type of every certflow record value. */
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }

    /**
     * The header values of one event, in the order they are written.
     *
     * @param event  the event
     * @param source the producing service, e.g. {@code /order-service}
     */
    public static Map<String, String> of(CertflowEvent event, String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, SPEC_VERSION_1_0);
        headers.put(ID, event.eventId().toString());
        headers.put(TYPE, EventType.of(event.getClass()).ceType());
        headers.put(SOURCE, source);
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        headers.put(SUBJECT, event.subject());
        headers.put(CONTENT_TYPE, JSON);
        return headers;
    }
}
