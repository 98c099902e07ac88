package io.certflow.testsupport.messaging;

/**
 * The kinds of hostile record {@link HostileRecords} sends to a topic: what anyone with write access to
 * a topic, or a broken producer, can put there. Each must be dead-lettered with a reason or skipped and
 * counted, and none may stop the consumer.
 */
public enum HostileKind {
    /** The value is not JSON (it carries a secret-looking text the reason must not repeat). */
    NOT_JSON,
    /** {@code "occurredAt": 42}: a time as a number. */
    WRONG_TYPE_OCCURRED_AT,
    /** {@code "eventId"} a text that is not a UUID (and looks like a secret). */
    WRONG_TYPE_EVENT_ID,
    /** The first list field of the event as a text ({@code "domains": "x"}); an object for events without one. */
    WRONG_TYPE_LIST,
    /** A JSON array instead of an object. */
    WRONG_TYPE_VALUE,
    /** A valid value whose {@code ce_type} no certflow version knows. */
    UNKNOWN_CE_TYPE,
    /** A valid value without the {@code ce_type} header. */
    MISSING_CE_TYPE,
    /** A valid value without the {@code ce_id} header. */
    MISSING_CE_ID,
    /** A valid value without any header. */
    MISSING_HEADERS,
    /** A valid event padded to 10 MB. */
    TEN_MEGABYTES,
    /** An empty value. */
    EMPTY_VALUE,
    /** No value at all (a tombstone). */
    NULL_VALUE,
    /** A valid event of another account naming the template's aggregate. */
    OTHER_ACCOUNT
}
