package io.certflow.console.topics.deadletter;

import java.util.List;

/**
 * One dead-letter topic with its latest records: the answer of {@code GET /ops/api/dead-letters/{topic}}.
 *
 * @param topic         the dead-letter topic
 * @param originalTopic the event topic its records came from
 * @param depth         records it holds
 * @param records       its latest records (up to the configured number), newest first
 */
public record DeadLetterTopic(String topic, String originalTopic, long depth, List<DeadLetterRecord> records) {
}
