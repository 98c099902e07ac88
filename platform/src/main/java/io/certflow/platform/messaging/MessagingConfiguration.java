package io.certflow.platform.messaging;

import io.certflow.events.MalformedEventException;
import io.certflow.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.CompositeProducerListener;
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kafka for every certflow service, configured once: CloudEvents records with logical types in,
 * unknown types skipped and counted, unreadable or refused records to {@code <topic>-dlt} at once,
 * other failures retried with bounded exponential backoff (never ten immediate retries), and every
 * certflow topic with its dead-letter topic created.
 *
 * <p>Metrics (docs/operations.md): events published, consumed and dead-lettered per topic ({@link EventMetrics}),
 * and the Kafka clients' own metrics of the event producer and consumers (consumer lag:
 * {@code kafka_consumer_fetch_manager_records_lag_max}).
 *
 * <p>Record size: certflow reads values up to {@link MessagingProperties#maxRecordSize()} (1 MiB by
 * default, the broker's default). The topics it creates accept that much plus room for headers; a larger
 * value that still reaches a consumer (a topic created elsewhere with a higher {@code max.message.bytes})
 * is fetched (Kafka returns an oversized first batch rather than stalling), not parsed, and dead-lettered
 * as "record too large (N bytes)" without its value.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MessagingConfiguration.class);
    /** A listener commits its offsets after this many records or this long, whichever comes first. */
    static final int COMMIT_EVERY_RECORDS = 100;
    static final java.time.Duration COMMIT_EVERY = java.time.Duration.ofMillis(500);

    /** Header of a dead-letter record that says, for people, why the record could not be processed. */
    public static final String DEAD_LETTER_REASON_HEADER = "certflow_dlt-reason";

    /** Room for a record's key and headers beside its value, within a topic's {@code max.message.bytes}. */
    static final int HEADERS_HEADROOM_BYTES = 64 * 1024;

    /** The service's event counters (in a registry of their own where the application has none). */
    @Bean
    public EventMetrics eventMetrics(ObjectProvider<MeterRegistry> meters) {
        return new EventMetrics(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    /** Template of the outbox relay: values are the events' JSON, written as they are; acknowledged ones counted. */
    @Bean
    public KafkaTemplate<String, String> eventKafkaTemplate(KafkaProperties kafka, ObjectProvider<MeterRegistry> meters,
                                                            EventMetrics eventMetrics) {
        Map<String, Object> props = kafka.buildProducerProperties(null);
        DefaultKafkaProducerFactory<String, String> producers =
                new DefaultKafkaProducerFactory<>(props, new StringSerializer(), new StringSerializer());
        meters.ifAvailable(registry -> producers.addListener(new MicrometerProducerListener<>(registry)));
        KafkaTemplate<String, String> template = new KafkaTemplate<>(producers);
        template.setProducerListener(new CompositeProducerListener<>(new LoggingProducerListener<>(),
                new ProducerListener<>() {
                    @Override
                    public void onSuccess(ProducerRecord<String, String> record, RecordMetadata metadata) {
                        eventMetrics.published(record.topic());
                    }
                }));
        return template;
    }

    @Bean
    public ConsumerFactory<String, Object> eventConsumerFactory(KafkaProperties kafka, MessagingProperties properties,
                                                                @Value("${spring.application.name}") String application,
                                                                ObjectProvider<MeterRegistry> meters) {
        Map<String, Object> props = kafka.buildConsumerProperties(null);
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, application);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        DefaultKafkaConsumerFactory<String, Object> consumers = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new CloudEventDeserializer(maxRecordBytes(properties))));
        // the Kafka client metrics (lag above all) of every listener's consumer
        meters.ifAvailable(registry -> consumers.addListener(new MicrometerConsumerListener<>(registry)));
        return consumers;
    }

    @Bean
    public DefaultErrorHandler eventErrorHandler(KafkaProperties kafka, MessagingProperties properties,
                                                 EventMetrics eventMetrics) {
        Map<String, Object> props = kafka.buildProducerProperties(null);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes(properties) + HEADERS_HEADROOM_BYTES);
        KafkaTemplate<Object, Object> deadLetters = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(props,
                new DeadLetterKeySerializer(), new DeadLetterValueSerializer(maxRecordBytes(properties))));
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(deadLetters,
                (record, exception) -> new TopicPartition(Topics.deadLetter(record.topic()), -1)) {
            @Override
            public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
                super.accept(record, consumer, exception);
                eventMetrics.deadLettered(record.topic());
            }
        };
        recoverer.setHeadersFunction((record, exception) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DEAD_LETTER_REASON_HEADER, reasonOf(exception).getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        MessagingProperties.Retry retry = properties.retry();
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(RejectedEventException.class, MalformedEventException.class,
                IllegalArgumentException.class);
        return handler;
    }

    @Bean
    public ConcurrentKafkaListenerContainerFactory<String, Object> kafkaListenerContainerFactory(
            ConsumerFactory<String, Object> eventConsumerFactory, DefaultErrorHandler eventErrorHandler,
            ObjectProvider<MeterRegistry> meters, EventMetrics eventMetrics) {
        ConcurrentKafkaListenerContainerFactory<String, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(eventConsumerFactory);
        factory.setRecordInterceptor((record, consumer) -> {
            eventMetrics.consumed(record.topic());
            return record;
        });
        factory.setCommonErrorHandler(eventErrorHandler);
        // offsets are committed every 100 records or 500 ms, not after each poll: applying is idempotent, so what a
        // crash replays is applied once; a commit per record was a broker round trip on the listener thread each
        // (pending offsets are committed when partitions are revoked and when the container stops)
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.COUNT_TIME);
        factory.getContainerProperties().setAckCount(COMMIT_EVERY_RECORDS);
        factory.getContainerProperties().setAckTime(COMMIT_EVERY.toMillis());
        factory.setAckDiscarded(true);
        factory.setRecordFilterStrategy(record -> {
            if (record.value() instanceof UnknownEventType unknown) {
                log.info("skipping record of unknown type {} on {}", unknown.ceType(), record.topic());
                MeterRegistry registry = meters.getIfAvailable();
                if (registry != null) {
                    registry.counter("certflow.events.skipped", "topic", record.topic(), "reason", "unknown-type").increment();
                }
                return true;
            }
            return false;
        });
        return factory;
    }

    /** The most telling message of a failure: ours where we raised it, else the root cause's. */
    static String reasonOf(Throwable exception) {
        Throwable root = exception;
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MalformedEventException || t instanceof RejectedEventException) {
                return t.getMessage();
            }
            root = t;
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static int maxRecordBytes(MessagingProperties properties) {
        return Math.toIntExact(properties.maxRecordSize().toBytes());
    }

    /** Every certflow topic and its dead-letter topic, created if missing. */
    @Bean
    public KafkaAdmin.NewTopics certflowTopics(MessagingProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        Map<String, String> configs = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(maxRecordBytes(properties) + HEADERS_HEADROOM_BYTES));
        for (String topic : Topics.ALL) {
            topics.add(new NewTopic(topic, properties.partitions(), properties.replicationFactor()).configs(configs));
            topics.add(new NewTopic(Topics.deadLetter(topic), properties.partitions(), properties.replicationFactor())
                    .configs(configs));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }
}
