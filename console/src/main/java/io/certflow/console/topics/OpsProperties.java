package io.certflow.console.topics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * How the operators' topic dashboards read Kafka and who may replay a dead letter. Operator keys only read
 * everywhere in certflow; replaying writes to a live topic, so it is granted per key, by name, here.
 *
 * @param latestEvents      how many of a topic's latest events the dashboard shows by default
 * @param maxLatestEvents   the most a caller may ask for ({@code ?limit=})
 * @param deadLetterRecords how many of a dead-letter topic's latest records the dashboard shows
 * @param maxValueBytes     a record value longer than this is shown truncated (with its full size)
 * @param streamInterval    how often the live stream looks at the topics (an update is sent when something changed)
 * @param kafkaTimeout      how long one question to Kafka may take before the answer is a 503
 * @param replayKeys        names of configured {@code OPERATOR} keys ({@code certflow.security.api-keys.<name>})
 *                          that may also replay dead letters; empty: nobody may
 * @param replayLogTopic    the compacted topic that records which dead letters were replayed
 */
@ConfigurationProperties("certflow.console.ops")
public record OpsProperties(@DefaultValue("20") int latestEvents,
                            @DefaultValue("200") int maxLatestEvents,
                            @DefaultValue("100") int deadLetterRecords,
                            @DefaultValue("4096") int maxValueBytes,
                            @DefaultValue("2s") Duration streamInterval,
                            @DefaultValue("10s") Duration kafkaTimeout,
                            List<String> replayKeys,
                            @DefaultValue("certflow-console.dlt-replays") String replayLogTopic) {

    public OpsProperties {
        replayKeys = replayKeys == null ? List.of() : List.copyOf(replayKeys);
        if (latestEvents < 1 || maxLatestEvents < latestEvents) {
            throw new IllegalArgumentException("certflow.console.ops.latest-events must be at least 1 and at most "
                    + "certflow.console.ops.max-latest-events");
        }
        if (deadLetterRecords < 1 || maxValueBytes < 1) {
            throw new IllegalArgumentException("certflow.console.ops.dead-letter-records and max-value-bytes must be "
                    + "at least 1");
        }
    }
}
