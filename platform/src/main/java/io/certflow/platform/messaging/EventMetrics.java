package io.certflow.platform.messaging;

import io.certflow.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts this service's events per topic, the same way in every service (docs/operations.md):
 * {@code certflow.events.published{topic}} (acknowledged by the broker), {@code certflow.events.consumed{topic}}
 * (read and handed to a listener, whatever became of it; a record that cannot be read is a dead letter instead) and {@code certflow.events.dead.letters{topic}} (written to the
 * topic's dead-letter topic; tagged by the topic the record was read from). In Prometheus they end in
 * {@code _total}. Every certflow topic's counters exist from the start at zero, so that {@code increase()} and the
 * alerts of {@code deploy/prometheus/alerts.yml} see the first event too.
 */
public final class EventMetrics {

    public static final String PUBLISHED = "certflow.events.published";
    public static final String CONSUMED = "certflow.events.consumed";
    public static final String DEAD_LETTERS = "certflow.events.dead.letters";

    private final MeterRegistry registry;

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String topic : Topics.ALL) {
            published(topic, 0);
            consumed(topic, 0);
            deadLettered(topic, 0);
        }
    }

    /** An event was published to {@code topic} and acknowledged. */
    public void published(String topic) {
        published(topic, 1);
    }

    /** A readable record of {@code topic} reached a listener. */
    public void consumed(String topic) {
        consumed(topic, 1);
    }

    /** A record read from {@code topic} was written to its dead-letter topic. */
    public void deadLettered(String topic) {
        deadLettered(topic, 1);
    }

    private void published(String topic, int n) {
        count(PUBLISHED, "Events published and acknowledged by the broker, by topic", topic, n);
    }

    private void consumed(String topic, int n) {
        count(CONSUMED, "Records read and handed to a listener, by topic", topic, n);
    }

    private void deadLettered(String topic, int n) {
        count(DEAD_LETTERS, "Records sent to the dead-letter topic, by the topic they were read from", topic, n);
    }

    private void count(String name, String description, String topic, int n) {
        Counter.builder(name).description(description).tag("topic", topic).register(registry).increment(n);
    }
}
