package io.certflow.events;

import java.time.Instant;
import java.util.UUID;

/**
 * What every certflow event has: an id that makes redelivery harmless, the time it happened,
 * the account it belongs to, and the subject that keys it on its topic.
 *
 * <p>Events are immutable records, named in the past tense, published as plain JSON with
 * CloudEvents binary-mode headers (see {@link CloudEventHeaders}).
 */
public interface CertflowEvent {

    /** Unique id of this event; consumers remember it to apply an event once. */
    UUID eventId();

    /** When the producer decided the thing happened. */
    Instant occurredAt();

    /** The certflow account the event belongs to. */
    String accountId();

    /**
     * The Kafka record key and the CloudEvents {@code subject}: the {@code certificateId},
     * the {@code orderId} for purchases, or the {@code accountId} for an account-wide event
     * ({@code MaintenanceWindowsChanged}).
     */
    String subject();
}
