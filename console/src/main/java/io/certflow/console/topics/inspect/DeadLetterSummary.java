package io.certflow.console.topics.inspect;

/**
 * One dead-letter topic at a glance.
 *
 * @param topic         the dead-letter topic ({@code <topic>-dlt})
 * @param originalTopic the event topic its records came from
 * @param depth         records it holds
 */
public record DeadLetterSummary(String topic, String originalTopic, long depth) {
}
