package io.certflow.console.topics.deadletter;

import io.certflow.console.topics.KafkaUnavailableException;
import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.RecordReader;
import io.certflow.platform.messaging.DeadLetterValueSerializer;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts one dead letter back on the topic it came from: its original key, value and headers (the CloudEvents
 * ones included, so {@code ce_id} is the original event id and idempotent consumers apply it at most once),
 * without the dead-letter headers, plus {@link #REPLAYED_FROM_HEADER} naming the dead letter. Each dead letter
 * is replayed at most once: a second attempt is a 409 naming the first. A record that fails again lands on
 * the dead-letter topic as a new dead letter, which can itself be replayed once fixed.
 *
 * <p>Replays through one console are serialised, so two clicks cannot both pass the check; two console
 * instances replaying the same record at the same moment could both publish it, which the consumers'
 * idempotency makes harmless.
 */
@Component
public class DeadLetterReplayer {

    /** Header of a replayed record: the dead letter it copies, {@code <dlt>/<partition>/<offset>}. */
    public static final String REPLAYED_FROM_HEADER = "certflow_replayed-from";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);

    private final RecordReader reader;
    private final ReplayLog replays;
    private final Producer<byte[], byte[]> producer;
    private final OpsProperties ops;
    private final Clock clock;

    public DeadLetterReplayer(RecordReader reader, ReplayLog replays, @Lazy Producer<byte[], byte[]> opsProducer,
                              OpsProperties ops, Clock clock) {
        this.reader = reader;
        this.replays = replays;
        this.producer = opsProducer;
        this.ops = ops;
        this.clock = clock;
    }

    /**
     * Replays the dead letter at {@code partition}/{@code offset} of {@code deadLetterTopic}.
     *
     * @param keyName the configured name of the operator key asking (recorded, never the key)
     * @return the replay, as recorded
     */
    public synchronized Replay replay(String deadLetterTopic, int partition, long offset, String keyName) {
        String original = DeadLetters.originalOf(deadLetterTopic);
        String place = Replay.place(deadLetterTopic, partition, offset);
        ConsumerRecord<byte[], byte[]> deadLetter = reader.at(deadLetterTopic, partition, offset).orElseThrow(() ->
                new NotFoundException("No dead letter at partition " + partition + ", offset " + offset + " of "
                        + deadLetterTopic + "."));
        Replay earlier = replays.of(deadLetterTopic).get(place);
        if (earlier != null) {
            throw new ConflictException("This dead letter was already replayed at " + earlier.replayedAt() + " by "
                    + earlier.replayedBy() + " (to " + earlier.topic() + " partition " + earlier.topicPartition()
                    + ", offset " + earlier.topicOffset() + "). A record that failed again is a new dead letter.");
        }
        if (deadLetter.headers().lastHeader(DeadLetterValueSerializer.VALUE_DROPPED_HEADER) != null
                || deadLetter.value() == null) {
            throw new ConflictException("This dead letter has no value (it was too large to keep): there is nothing "
                    + "to replay.");
        }
        ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(original, deadLetter.key(), deadLetter.value());
        for (Header header : deadLetter.headers()) {
            if (!isDeadLetterHeader(header.key())) {
                copy.headers().add(header.key(), header.value());
            }
        }
        copy.headers().add(REPLAYED_FROM_HEADER, place.getBytes(StandardCharsets.UTF_8));
        RecordMetadata sent = send(copy);
        Replay replay = new Replay(deadLetterTopic, partition, offset, clock.instant(), keyName, original,
                sent.partition(), sent.offset());
        replays.record(replay);
        log.info("dead letter {} replayed to {}-{}@{} by key {}", place, original, sent.partition(), sent.offset(), keyName);
        return replay;
    }

    /** Headers that describe the dead-lettering (Spring's {@code kafka_dlt-*}, certflow's {@code certflow_dlt-*}). */
    static boolean isDeadLetterHeader(String name) {
        return name.startsWith("kafka_dlt-") || name.startsWith("certflow_dlt-") || name.equals(REPLAYED_FROM_HEADER);
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get(ops.kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while replaying; the record may or may not be on "
                    + record.topic() + ".");
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not take the replayed record on " + record.topic() + ".");
        }
    }
}
