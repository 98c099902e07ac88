package io.certflow.console.topics.inspect;

/**
 * One event topic at a glance.
 *
 * @param name            the topic
 * @param partitions      its partition count
 * @param total           records it holds (end minus beginning offsets, over all partitions)
 * @param lastMinute      records written in the last 60 seconds (exact: offsets by timestamp against end offsets)
 * @param deadLetterTopic its dead-letter topic
 * @param deadLetterDepth records its dead-letter topic holds
 */
public record TopicSummary(String name, int partitions, long total, long lastMinute, String deadLetterTopic,
                           long deadLetterDepth) {
}
