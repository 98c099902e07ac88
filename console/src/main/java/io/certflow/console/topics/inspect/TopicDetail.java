package io.certflow.console.topics.inspect;

import io.certflow.console.topics.EventView;

import java.util.List;

/**
 * One event topic with its latest events: the answer of {@code GET /ops/api/topics/{topic}}.
 *
 * @param topic  the topic at a glance
 * @param latest its latest events, newest first
 */
public record TopicDetail(TopicSummary topic, List<EventView> latest) {
}
