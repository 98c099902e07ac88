package io.certflow.console.topics.inspect;

import io.certflow.console.topics.CertflowTopics;
import io.certflow.console.topics.EventView;
import io.certflow.console.topics.OpsProperties;
import io.certflow.console.topics.RecordReader;
import io.certflow.events.Topics;
import io.certflow.platform.web.NotFoundException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.certflow.console.topics.KafkaCalls.await;

/**
 * Answers the dashboard's questions from Kafka's own bookkeeping, through the admin client: partitions and
 * offsets of each topic (records held, records of the last minute), consumer groups with their members and
 * committed offsets (lag), and the depth of each dead-letter topic. Nothing is stored; every answer is
 * computed when asked.
 */
@Component
public class TopicInspector {

    private static final Duration LAST_MINUTE = Duration.ofSeconds(60);

    private final Admin admin;
    private final RecordReader reader;
    private final OpsProperties ops;
    private final Clock clock;

    public TopicInspector(@Lazy Admin opsAdmin, RecordReader reader, OpsProperties ops, Clock clock) {
        this.admin = opsAdmin;
        this.reader = reader;
        this.ops = ops;
        this.clock = clock;
    }

    /** Every event topic, consumer group and dead-letter topic. */
    public Overview overview() {
        Instant now = clock.instant();
        List<TopicSummary> topics = summaries(Topics.ALL, now);
        List<DeadLetterSummary> deadLetters = topics.stream()
                .map(t -> new DeadLetterSummary(t.deadLetterTopic(), t.name(), t.deadLetterDepth()))
                .toList();
        return new Overview(now, topics, groups(), deadLetters);
    }

    /** One event topic with its latest {@code limit} events; 404 for a name that is not a certflow event topic. */
    public TopicDetail topic(String name, int limit) {
        if (!CertflowTopics.isEventTopic(name)) {
            throw new NotFoundException("No certflow event topic is called '" + name + "'.");
        }
        List<TopicSummary> summary = summaries(List.of(name), clock.instant());
        if (summary.isEmpty()) {
            throw new NotFoundException("The topic '" + name + "' does not exist on the broker yet.");
        }
        List<EventView> latest = reader.latest(name, limit).stream()
                .map(record -> EventView.of(record, ops.maxValueBytes()))
                .toList();
        return new TopicDetail(summary.get(0), latest);
    }

    /** Summaries of those of the event topics that exist, in the given order. */
    private List<TopicSummary> summaries(List<String> eventTopics, Instant now) {
        Set<String> existing = await(admin.listTopics().names(), ops.kafkaTimeout(), "the topic names");
        List<String> names = new ArrayList<>();
        for (String topic : eventTopics) {
            if (existing.contains(topic)) {
                names.add(topic);
            }
            if (existing.contains(Topics.deadLetter(topic))) {
                names.add(Topics.deadLetter(topic));
            }
        }
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> described = await(admin.describeTopics(names).allTopicNames(),
                ops.kafkaTimeout(), "the topics' partitions");
        List<TopicPartition> partitions = new ArrayList<>();
        described.forEach((name, description) -> description.partitions()
                .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        Map<TopicPartition, Long> begin = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        List<TopicPartition> eventPartitions = partitions.stream()
                .filter(p -> CertflowTopics.isEventTopic(p.topic())).toList();
        Map<TopicPartition, Long> minuteAgo = offsets(eventPartitions,
                OffsetSpec.forTimestamp(now.minus(LAST_MINUTE).toEpochMilli()));

        List<TopicSummary> summaries = new ArrayList<>();
        for (String topic : eventTopics) {
            TopicDescription description = described.get(topic);
            if (description == null) {
                continue;
            }
            long total = 0;
            long lastMinute = 0;
            for (TopicPartition partition : partitionsOf(partitions, topic)) {
                total += end.get(partition) - begin.get(partition);
                long since = minuteAgo.getOrDefault(partition, -1L);
                if (since >= 0) {
                    lastMinute += end.get(partition) - since;
                }
            }
            String deadLetter = Topics.deadLetter(topic);
            long depth = partitionsOf(partitions, deadLetter).stream()
                    .mapToLong(p -> end.get(p) - begin.get(p)).sum();
            summaries.add(new TopicSummary(topic, description.partitions().size(), total, lastMinute, deadLetter, depth));
        }
        return summaries;
    }

    /**
     * The records each partition of certflow's existing dead-letter topics holds now: its earliest and its next offset.
     * One question for the topic names, one for their partitions, two for the offsets, however many topics there are.
     */
    public Map<TopicPartition, OffsetRange> deadLetterRanges() {
        Set<String> existing = await(admin.listTopics().names(), ops.kafkaTimeout(), "the topic names");
        List<String> names = Topics.ALL.stream().map(Topics::deadLetter).filter(existing::contains).toList();
        if (names.isEmpty()) {
            return Map.of();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        await(admin.describeTopics(names).allTopicNames(), ops.kafkaTimeout(), "the dead-letter topics' partitions")
                .forEach((name, description) -> description.partitions()
                        .forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
        Map<TopicPartition, Long> begin = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, OffsetRange> ranges = new HashMap<>();
        partitions.forEach(p -> ranges.put(p, new OffsetRange(begin.get(p), end.get(p))));
        return ranges;
    }

    /**
     * The offsets a partition holds: from {@code begin} (the earliest) up to, not including, {@code end}.
     *
     * @param begin the earliest offset still held
     * @param end   the offset the next record will get
     */
    public record OffsetRange(long begin, long end) {

        /** Whether the partition still holds the record at {@code offset}. */
        public boolean holds(long offset) {
            return offset >= begin && offset < end;
        }

        /** How many records it holds. */
        public long size() {
            return end - begin;
        }
    }

    /** Every consumer group with its members and its lag on each partition it committed. */
    private List<GroupSummary> groups() {
        List<String> ids = await(admin.listConsumerGroups().all(), ops.kafkaTimeout(), "the consumer groups").stream()
                .map(ConsumerGroupListing::groupId).sorted().toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, ConsumerGroupDescription> descriptions = await(admin.describeConsumerGroups(ids).all(),
                ops.kafkaTimeout(), "the consumer groups' members");
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        for (String id : ids) {
            Map<TopicPartition, OffsetAndMetadata> offsets = await(
                    admin.listConsumerGroupOffsets(id).partitionsToOffsetAndMetadata(), ops.kafkaTimeout(),
                    "the offsets of group " + id);
            offsets.values().removeIf(o -> o == null);
            committed.put(id, offsets);
        }
        List<TopicPartition> all = committed.values().stream().flatMap(m -> m.keySet().stream()).distinct().toList();
        Map<TopicPartition, Long> end = offsets(all, OffsetSpec.latest());

        List<GroupSummary> groups = new ArrayList<>();
        for (String id : ids) {
            ConsumerGroupDescription description = descriptions.get(id);
            List<GroupSummary.PartitionLag> lags = committed.get(id).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                            .thenComparingInt(TopicPartition::partition)))
                    .map(e -> {
                        long endOffset = end.getOrDefault(e.getKey(), e.getValue().offset());
                        return new GroupSummary.PartitionLag(e.getKey().topic(), e.getKey().partition(),
                                e.getValue().offset(), endOffset, Math.max(0, endOffset - e.getValue().offset()));
                    })
                    .toList();
            List<GroupSummary.Member> members = description == null ? List.of() : description.members().stream()
                    .map(TopicInspector::member)
                    .sorted(Comparator.comparing(GroupSummary.Member::clientId))
                    .toList();
            String state = description == null ? "UNKNOWN" : String.valueOf(description.state());
            groups.add(new GroupSummary(id, state, members, lags,
                    lags.stream().mapToLong(GroupSummary.PartitionLag::lag).sum()));
        }
        return groups;
    }

    private static GroupSummary.Member member(MemberDescription member) {
        List<String> assignment = member.assignment().topicPartitions().stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .map(TopicPartition::toString)
                .toList();
        return new GroupSummary.Member(member.consumerId(), member.clientId(), member.host(), assignment);
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> answer = await(admin.listOffsets(request).all(),
                ops.kafkaTimeout(), "the offsets");
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static List<TopicPartition> partitionsOf(List<TopicPartition> partitions, String topic) {
        return partitions.stream().filter(p -> p.topic().equals(topic)).toList();
    }
}
