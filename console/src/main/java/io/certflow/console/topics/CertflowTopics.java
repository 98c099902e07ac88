package io.certflow.console.topics;

import io.certflow.events.Topics;

import java.util.Optional;

/**
 * Which topics the dashboards show: certflow's event topics (common-events' {@link Topics#ALL}) and their
 * dead-letter topics. Any other name is unknown to the dashboards (a 404), so they cannot be used to read
 * arbitrary topics of a shared cluster.
 */
public final class CertflowTopics {

    private CertflowTopics() {
    }

    /** Whether the name is one of certflow's event topics. */
    public static boolean isEventTopic(String name) {
        return Topics.ALL.contains(name);
    }

    /** The event topic whose dead-letter topic this is, if it is one of certflow's. */
    public static Optional<String> originalOf(String deadLetterTopic) {
        if (deadLetterTopic == null || !deadLetterTopic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            return Optional.empty();
        }
        String original = deadLetterTopic.substring(0, deadLetterTopic.length() - Topics.DEAD_LETTER_SUFFIX.length());
        return isEventTopic(original) ? Optional.of(original) : Optional.empty();
    }
}
