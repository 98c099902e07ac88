package io.certflow.platform.messaging;

/**
 * A record whose {@code ce_type} this version of the service does not know (a newer version, or
 * an event it never consumes). Such records are skipped and counted, never failed: consumers
 * ignore unknown types so that producers can add types.
 *
 * @param ceType the type named by the record
 */
public record UnknownEventType(String ceType) {
}
