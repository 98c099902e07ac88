package io.certflow.console.topics.deadletter;

import io.certflow.console.topics.CertflowTopics;
import io.certflow.console.topics.EventView;
import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.RecordReader;
import io.certflow.platform.messaging.DeadLetterValueSerializer;
import io.certflow.platform.messaging.MessagingConfiguration;
import io.certflow.platform.web.NotFoundException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Reads dead-letter topics as operators need them: each record with the reason platform's dead-letter
 * publisher gave ({@link MessagingConfiguration#DEAD_LETTER_REASON_HEADER}), the failure and the original
 * place (Spring Kafka's {@code kafka_dlt-*} headers), and whether it has been replayed. The stack trace
 * header is not shown: the reason and the exception's message say what went wrong without the internals.
 */
@Component
public class DeadLetters {

    private final RecordReader reader;
    private final ReplayLog replays;
    private final OpsProperties ops;

    public DeadLetters(RecordReader reader, ReplayLog replays, OpsProperties ops) {
        this.reader = reader;
        this.replays = replays;
        this.ops = ops;
    }

    /** A dead-letter topic with its latest records; 404 for a name that is not a certflow dead-letter topic. */
    public DeadLetterTopic topic(String deadLetterTopic) {
        String original = originalOf(deadLetterTopic);
        Map<String, Replay> replayed = replays.of(deadLetterTopic);
        List<DeadLetterRecord> records = reader.latest(deadLetterTopic, ops.deadLetterRecords()).stream()
                .map(record -> view(record, replayed.get(Replay.place(deadLetterTopic, record.partition(), record.offset()))))
                .toList();
        return new DeadLetterTopic(deadLetterTopic, original, reader.held(deadLetterTopic), records);
    }

    /** The event topic of a certflow dead-letter topic, or a 404. */
    static String originalOf(String deadLetterTopic) {
        return CertflowTopics.originalOf(deadLetterTopic).orElseThrow(() ->
                new NotFoundException("No certflow dead-letter topic is called '" + deadLetterTopic + "'."));
    }

    /** The view of one dead letter and its replay, if any. */
    DeadLetterRecord view(ConsumerRecord<byte[], byte[]> record, Replay replay) {
        return new DeadLetterRecord(EventView.of(record, ops.maxValueBytes()),
                EventView.header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC),
                intHeader(record, KafkaHeaders.DLT_ORIGINAL_PARTITION),
                longHeader(record, KafkaHeaders.DLT_ORIGINAL_OFFSET),
                EventView.header(record, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP),
                EventView.header(record, MessagingConfiguration.DEAD_LETTER_REASON_HEADER),
                EventView.header(record, KafkaHeaders.DLT_EXCEPTION_FQCN),
                EventView.header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE),
                EventView.header(record, DeadLetterValueSerializer.VALUE_DROPPED_HEADER),
                EventView.header(record, DeadLetterReplayer.REPLAYED_FROM_HEADER),
                replay);
    }

    private static Integer intHeader(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value().length != Integer.BYTES ? null : ByteBuffer.wrap(header.value()).getInt();
    }

    private static Long longHeader(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value().length != Long.BYTES ? null : ByteBuffer.wrap(header.value()).getLong();
    }
}
