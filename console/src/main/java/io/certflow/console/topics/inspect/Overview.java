package io.certflow.console.topics.inspect;

import java.time.Instant;
import java.util.List;

/**
 * Everything the dashboard's tables show, at one moment: the answer of {@code GET /ops/api/overview} and of
 * every update on the live stream.
 *
 * @param generatedAt when Kafka was asked
 * @param topics      certflow's event topics, in lifecycle order
 * @param groups      consumer groups, by id
 * @param deadLetters dead-letter topics, in the order of their topics
 */
public record Overview(Instant generatedAt, List<TopicSummary> topics, List<GroupSummary> groups,
                       List<DeadLetterSummary> deadLetters) {
}
