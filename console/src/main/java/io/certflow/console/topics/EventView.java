package io.certflow.console.topics;

import io.certflow.events.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record as the dashboard shows it: where it is, its key, its CloudEvents identity and its JSON value.
 * Events carry no secrets (DESIGN §3), so the value is shown as it is; a value over the configured bound is
 * cut, and says so with its full size.
 *
 * @param topic     the topic of the record
 * @param partition partition of the record
 * @param offset    offset of the record
 * @param timestamp the broker's timestamp of the record
 * @param key       the key (the certificateId, or the orderId of purchases)
 * @param ceType    {@code ce_type}, the logical event type
 * @param ceId      {@code ce_id}, the event id
 * @param ceTime    {@code ce_time}, when the event occurred
 * @param ceSource  {@code ce_source}, the producing service
 * @param value     the value as UTF-8 text, at most the configured number of bytes
 * @param size      the value's full size in bytes
 * @param truncated whether {@code value} was cut
 */
public record EventView(String topic, int partition, long offset, Instant timestamp, String key, String ceType, String ceId,
                        String ceTime, String ceSource, String value, int size, boolean truncated) {

    /** The view of a record, its value cut at {@code maxValueBytes}. */
    public static EventView of(ConsumerRecord<byte[], byte[]> record, int maxValueBytes) {
        byte[] value = record.value();
        int size = value == null ? 0 : value.length;
        boolean truncated = size > maxValueBytes;
        String text = value == null ? null
                : new String(value, 0, Math.min(size, maxValueBytes), StandardCharsets.UTF_8);
        return new EventView(record.topic(), record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
                text(record.key()), header(record, CloudEventHeaders.TYPE), header(record, CloudEventHeaders.ID),
                header(record, CloudEventHeaders.TIME), header(record, CloudEventHeaders.SOURCE), text, size, truncated);
    }

    /** A header of the record as text, or {@code null}. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : text(header.value());
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
