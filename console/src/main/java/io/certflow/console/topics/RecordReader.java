package io.certflow.console.topics;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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

    /**
     * The records of one key on several topics since a time, oldest first per topic. Only the key's partition of each
     * topic is read: the producers' default partitioner puts a keyed record on {@code murmur2(key) mod partitions},
     * so one certificate's events are all there. At most {@code maxScanned} of the newest records of each partition are
     * looked at; {@link Keyed#cut()} says whether older ones since {@code since} were left out.
     *
     * @param keys       the key to look for on each topic (topics that do not exist yet are skipped)
     * @param since      the earliest record time of interest
     * @param maxScanned records read per topic at most
     */
    public Keyed withKeys(Map<String, String> keys, Instant since, int maxScanned) {
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            Map<TopicPartition, byte[]> wanted = new HashMap<>();
            keys.forEach((topic, key) -> {
                int partitions = partitionsOf(consumer, topic).size();
                if (partitions > 0) {
                    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
                    wanted.put(new TopicPartition(topic, Utils.toPositive(Utils.murmur2(bytes)) % partitions), bytes);
                }
            });
            if (wanted.isEmpty()) {
                return new Keyed(List.of(), false);
            }
            consumer.assign(wanted.keySet());
            Map<TopicPartition, Long> end = consumer.endOffsets(wanted.keySet(), timeout);
            Map<TopicPartition, Long> sinceTimes = new HashMap<>();
            wanted.keySet().forEach(p -> sinceTimes.put(p, since.toEpochMilli()));
            var fromTime = consumer.offsetsForTimes(sinceTimes, timeout);
            boolean cut = false;
            for (TopicPartition partition : wanted.keySet()) {
                var found = fromTime.get(partition);
                long first = found == null ? end.get(partition) : found.offset();
                long floor = Math.max(0, end.get(partition) - maxScanned);
                cut |= first < floor;
                consumer.seek(partition, Math.max(first, floor));
            }
            Predicate<ConsumerRecord<byte[], byte[]>> ofKey = record -> Arrays.equals(record.key(),
                    wanted.get(new TopicPartition(record.topic(), record.partition())));
            return new Keyed(readUpTo(consumer, end, ofKey, "the topics of one key"), cut);
        } catch (KafkaException e) {
            throw unavailable("the topics of one key", e);
        }
    }

    /**
     * The records found for a key.
     *
     * @param records the records, oldest first per topic
     * @param cut     whether older records since the asked time were not looked at (over the scan bound)
     */
    public record Keyed(List<ConsumerRecord<byte[], byte[]>> records, boolean cut) {
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
        return readUpTo(consumer, end, record -> true, topic);
    }

    /** As {@link #readUpTo(KafkaConsumer, Map, String)}, keeping only the records {@code keep} accepts. */
    private List<ConsumerRecord<byte[], byte[]>> readUpTo(KafkaConsumer<byte[], byte[]> consumer,
                                                          Map<TopicPartition, Long> end,
                                                          Predicate<ConsumerRecord<byte[], byte[]>> keep, String topic) {
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
                if (record.offset() < end.getOrDefault(partition, 0L) && keep.test(record)) {
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
