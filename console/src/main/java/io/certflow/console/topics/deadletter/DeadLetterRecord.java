package io.certflow.console.topics.deadletter;

import io.certflow.console.topics.EventView;

/**
 * One dead letter as the dashboard shows it: the record, where it came from and why no consumer could
 * process it (the headers platform's dead-letter publisher writes), and whether it was replayed.
 *
 * @param record            the record itself (key, CloudEvents identity, value)
 * @param originalTopic     the topic it was read from
 * @param originalPartition its partition there
 * @param originalOffset    its offset there
 * @param consumerGroup     the group that failed on it
 * @param reason            certflow's reason, for people ({@code certflow_dlt-reason})
 * @param exceptionClass    the class of the failure
 * @param exceptionMessage  the failure's message
 * @param valueDropped      set when the value was too large to keep (its size): such a record cannot be replayed
 * @param replayedFrom      set when the record was itself a replay that failed again: the earlier dead letter
 * @param replay            set once it was replayed
 */
public record DeadLetterRecord(EventView record, String originalTopic, Integer originalPartition,
                               Long originalOffset, String consumerGroup, String reason, String exceptionClass,
                               String exceptionMessage, String valueDropped, String replayedFrom, Replay replay) {
}
