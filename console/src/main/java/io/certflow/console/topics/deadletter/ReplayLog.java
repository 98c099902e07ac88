package io.certflow.console.topics.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.certflow.console.topics.KafkaUnavailableException;
import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.RecordReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which dead letters were replayed, kept where the console keeps everything: in Kafka. One JSON record per
 * replay on a compacted topic, keyed by the dead letter's place, so the dashboard shows each replay and a
 * second replay of the same dead letter can be refused, across restarts and for every console instance.
 */
@Component
public class ReplayLog {

    private final RecordReader reader;
    private final Producer<byte[], byte[]> producer;
    private final ObjectMapper json;
    private final OpsProperties ops;

    public ReplayLog(RecordReader reader, @Lazy Producer<byte[], byte[]> opsProducer, ObjectMapper json, OpsProperties ops) {
        this.reader = reader;
        this.producer = opsProducer;
        this.json = json;
        this.ops = ops;
    }

    /** Every replay of a dead letter of {@code deadLetterTopic}, by {@link Replay#place}. */
    public Map<String, Replay> of(String deadLetterTopic) {
        Map<String, Replay> replays = all();
        replays.keySet().removeIf(place -> !place.startsWith(deadLetterTopic + "/"));
        return replays;
    }

    /** Every replay of any dead letter, by {@link Replay#place}. */
    public Map<String, Replay> all() {
        Map<String, Replay> replays = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : reader.all(ops.replayLogTopic())) {
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            if (!key.isEmpty() && record.value() != null) {
                try {
                    replays.put(key, json.readValue(record.value(), Replay.class));
                } catch (IOException e) {
                    // a record the console did not write: not a replay
                }
            }
        }
        return replays;
    }

    /** Records a replay; returns once the broker acknowledged it. */
    public void record(Replay replay) {
        try {
            byte[] value = json.writeValueAsBytes(replay);
            byte[] key = Replay.place(replay.deadLetterTopic(), replay.partition(), replay.offset())
                    .getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(ops.replayLogTopic(), key, value))
                    .get(ops.kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a replay is always writable as JSON", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while recording the replay.");
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("The record was replayed, but the replay log could not be written: "
                    + "the dashboard will not show it as replayed.");
        }
    }
}
