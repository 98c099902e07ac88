package io.certflow.console.topics.deadletter;

import io.certflow.console.topics.CertflowTopics;
import io.certflow.console.topics.KafkaUnavailableException;
import io.certflow.console.topics.inspect.TopicInspector;
import io.certflow.console.topics.inspect.TopicInspector.OffsetRange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The depth of every dead-letter topic, for Prometheus, read where only the console can read it (the topics
 * themselves, not any one service's counters): {@code certflow.dead.letters.held{topic}}, the records a topic's
 * dead-letter topic holds, and {@code certflow.dead.letters.waiting{topic}}, those of them no operator has replayed
 * yet (the replay log says which were). {@code topic} is the event topic the records came from, as on
 * {@code certflow.events.dead.letters} of the services. The alert {@code DeadLetterTopicNotEmpty} reads
 * {@code waiting}: it fires while a dead letter waits and clears once it is replayed (or its retention ends).
 *
 * <p>Refreshed in the background, never on a scrape; while Kafka cannot be read the last values stay and the failure
 * is logged once, when it starts.
 */
@Component
public class DeadLetterGauges {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterGauges.class);

    private final TopicInspector inspector;
    private final ReplayLog replays;
    private final MultiGauge held;
    private final MultiGauge waiting;
    private boolean failing;

    public DeadLetterGauges(TopicInspector inspector, ReplayLog replays, MeterRegistry meters) {
        this.inspector = inspector;
        this.replays = replays;
        this.held = MultiGauge.builder("certflow.dead.letters.held")
                .description("Records held by the dead-letter topic of an event topic").register(meters);
        this.waiting = MultiGauge.builder("certflow.dead.letters.waiting")
                .description("Dead letters of an event topic not replayed yet").register(meters);
    }

    /** Reads the depths again. */
    @Scheduled(fixedDelayString = "${certflow.console.ops.metrics-interval:30s}", initialDelayString = "${certflow.console.ops.metrics-interval:30s}")
    public synchronized void refresh() {
        try {
            Depths depths = depths();
            held.register(rows(depths.held()), true);
            waiting.register(rows(depths.waiting()), true);
            if (failing) {
                log.info("dead-letter gauges are read again");
            }
            failing = false;
        } catch (KafkaUnavailableException e) {
            if (!failing) {
                log.warn("dead-letter gauges not refreshed (kept as they were): {}", e.getMessage());
            }
            failing = true;
        }
    }

    /**
     * Per event topic: records its dead-letter topic holds, and those not replayed.
     *
     * @param held    records held, by event topic
     * @param waiting records held and not replayed, by event topic
     */
    record Depths(Map<String, Long> held, Map<String, Long> waiting) {
    }

    /** The depths now, from Kafka's offsets and the replay log. */
    Depths depths() {
        Map<TopicPartition, OffsetRange> ranges = inspector.deadLetterRanges();
        Map<String, Replay> replayed = ranges.values().stream().allMatch(r -> r.size() == 0) ? Map.of() : replays.all();
        Map<String, Long> heldBy = new TreeMap<>();
        Map<String, Long> waitingBy = new TreeMap<>();
        ranges.forEach((partition, range) -> {
            String topic = CertflowTopics.originalOf(partition.topic()).orElseThrow();
            long replayedHere = replayed.values().stream()
                    .filter(r -> r.deadLetterTopic().equals(partition.topic()) && r.partition() == partition.partition()
                            && range.holds(r.offset()))
                    .count();
            heldBy.merge(topic, range.size(), Long::sum);
            waitingBy.merge(topic, range.size() - replayedHere, Long::sum);
        });
        return new Depths(heldBy, waitingBy);
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Long> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((topic, n) -> rows.add(MultiGauge.Row.of(Tags.of("topic", topic), n)));
        return rows;
    }
}
