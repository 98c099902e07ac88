package io.certflow.console.topics;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads records off a topic without disturbing anyone: each question gets its own consumer that is assigned
 * partitions (no group, nothing committed), reads up to the end offsets it saw at the start, and is closed.
 * Keys and values stay bytes; {@link EventView} decides how to show them.
 */
public class RecordReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> properties;
    private final Duration timeout;

    public RecordReader(Map<String, Object> consumerProperties, OpsProperties ops) {
        this.properties = new HashMap<>(consumerProperties);
        this.properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "certflow-console-ops-reader");
        this.properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ops.kafkaTimeout().toMillis());
        this.timeout = ops.kafkaTimeout();
    }

    /** The latest {@code limit} records of the topic over all its partitions, newest first. */
    public List<ConsumerRecord<byte[], byte[]>> latest(String topic, int limit) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - limit));
            }
            List<ConsumerRecord<byte[], byte[]>> records = readUpTo(consumer, end, topic);
            records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::timestamp)
                    .thenComparingLong(ConsumerRecord::offset).reversed());
            return records.size() > limit ? List.copyOf(records.subList(0, limit)) : records;
        } catch (KafkaException e) {
            throw unavailable(topic, e);
        }
    }

    /** Every record the topic holds now, oldest first per partition (for small, compacted topics). */
    public List<ConsumerRecord<byte[], byte[]>> all(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return readUpTo(consumer, consumer.endOffsets(partitions, timeout), topic);
        } catch (KafkaException e) {
            throw unavailable(topic, e);
        }
    }

    /** How many records the topic holds now (end minus beginning offsets over all partitions). */
    public long held(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = partitionsOf(consumer, topic);
            if (partitions.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        } catch (KafkaException e) {
            throw unavailable(topic, e);
        }
    }

    /** The record at one place, if the topic still holds it. */
    public Optional<ConsumerRecord<byte[], byte[]>> at(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            TopicPartition place = new TopicPartition(topic, partition);
            if (partitionsOf(consumer, topic).stream().noneMatch(place::equals)) {
                return Optional.empty();
            }
            consumer.assign(List.of(place));
            long begin = consumer.beginningOffsets(List.of(place), timeout).get(place);
            long end = consumer.endOffsets(List.of(place), timeout).get(place);
            if (offset < begin || offset >= end) {
                return Optional.empty();
            }
            consumer.seek(place, offset);
            return readUpTo(consumer, Map.of(place, offset + 1), topic).stream()
                    .filter(r -> r.offset() == offset).findFirst();
        } catch (KafkaException e) {
            throw unavailable(topic, e);
        }
    }

    private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    /** Polls until every assigned partition's position reached its end offset (or fails after the timeout). */
    private List<ConsumerRecord<byte[], byte[]>> readUpTo(KafkaConsumer<byte[], byte[]> consumer,
                                                          Map<TopicPartition, Long> end, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Set<TopicPartition> pending = new HashSet<>(end.keySet());
        pending.removeIf(p -> consumer.position(p, timeout) >= end.get(p));
        Instant deadline = Instant.now().plus(timeout);
        while (!pending.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new KafkaUnavailableException("Kafka did not deliver the records of " + topic + " within "
                        + timeout.toSeconds() + " s.");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < end.getOrDefault(partition, 0L)) {
                    records.add(record);
                }
            }
            pending.removeIf(p -> consumer.position(p, timeout) >= end.get(p));
        }
        return records;
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaUnavailableException unavailable(String topic, KafkaException e) {
        return new KafkaUnavailableException("Kafka could not be read for " + topic + ": " + e.getClass().getSimpleName() + ".");
    }
}
