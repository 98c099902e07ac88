package io.certflow.console.topics.inspect;

import java.util.List;

/**
 * One consumer group: its members and how far behind it is on each partition it committed.
 *
 * @param groupId    the group (a service's {@code spring.application.name})
 * @param state      the group's state as the broker reports it ({@code STABLE}, {@code EMPTY}, …)
 * @param members    the consumers in it now
 * @param partitions lag per committed partition
 * @param totalLag   the sum of the partitions' lag
 */
public record GroupSummary(String groupId, String state, List<Member> members, List<PartitionLag> partitions,
                           long totalLag) {

    /**
     * A consumer of the group.
     *
     * @param memberId   the broker's id of the member
     * @param clientId   the consumer's client id
     * @param host       where it connects from
     * @param assignment the partitions it holds, as {@code topic-partition}
     */
    public record Member(String memberId, String clientId, String host, List<String> assignment) {
    }

    /**
     * How far the group is behind on one partition.
     *
     * @param topic     the topic
     * @param partition the partition
     * @param committed the group's committed offset (the next record it will read)
     * @param end       the partition's end offset
     * @param lag       {@code end - committed}, never below zero
     */
    public record PartitionLag(String topic, int partition, long committed, long end, long lag) {
    }
}
