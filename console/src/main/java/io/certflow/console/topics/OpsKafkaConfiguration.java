package io.certflow.console.topics;

import io.certflow.platform.messaging.MessagingProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.util.Map;

/**
 * The Kafka clients of the dashboards: one admin client (offsets, groups), one producer (replays and the
 * replay log, bytes as they are), and the replay log topic itself. The clients are made on first use (their
 * users take lazy proxies), so a console nobody watches does not connect to Kafka. Consumers are made per question by
 * {@link RecordReader}: they are assigned partitions, never join a group, and commit nothing.
 */
@Configuration(proxyBeanMethods = false)
public class OpsKafkaConfiguration {

    /** Room for a dead letter's headers beside a value of the broker's default 1 MiB limit. */
    private static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

    @Bean(destroyMethod = "close")
    @Lazy
    public Admin opsAdmin(KafkaProperties kafka, OpsProperties ops) {
        Map<String, Object> props = kafka.buildAdminProperties(null);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "certflow-console-ops");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ops.kafkaTimeout().toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ops.kafkaTimeout().toMillis());
        return Admin.create(props);
    }

    @Bean(destroyMethod = "close")
    @Lazy
    public Producer<byte[], byte[]> opsProducer(KafkaProperties kafka, OpsProperties ops) {
        Map<String, Object> props = kafka.buildProducerProperties(null);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "certflow-console-ops");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ops.kafkaTimeout().toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Bean
    public RecordReader opsRecordReader(KafkaProperties kafka, OpsProperties ops) {
        return new RecordReader(kafka.buildConsumerProperties(null), ops);
    }

    /** One record per replayed dead letter, keyed by the dead letter's place; compaction keeps the latest. */
    @Bean
    public NewTopic opsReplayLogTopic(OpsProperties ops, MessagingProperties messaging) {
        return new NewTopic(ops.replayLogTopic(), 1, messaging.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
}
