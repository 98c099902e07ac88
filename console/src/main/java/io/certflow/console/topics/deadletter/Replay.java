package io.certflow.console.topics.deadletter;

import java.time.Instant;

/**
 * That a dead letter was put back on its topic: when, by which operator key (its configured name, never the
 * key), and where the copy landed. Written to the replay log and shown beside the dead letter.
 *
 * @param deadLetterTopic the dead-letter topic
 * @param partition       the dead letter's partition
 * @param offset          the dead letter's offset
 * @param replayedAt      when it was replayed
 * @param replayedBy      the name of the operator key that replayed it
 * @param topic           the topic the copy was published to
 * @param topicPartition  the copy's partition
 * @param topicOffset     the copy's offset
 */
public record Replay(String deadLetterTopic, int partition, long offset, Instant replayedAt, String replayedBy,
                     String topic, int topicPartition, long topicOffset) {

    /** The replay log's key of a dead letter: {@code <dlt>/<partition>/<offset>}. */
    public static String place(String deadLetterTopic, int partition, long offset) {
        return deadLetterTopic + "/" + partition + "/" + offset;
    }
}
