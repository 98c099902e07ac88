package io.certflow.platform.config;

import io.certflow.platform.messaging.MessagingConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * Registers certflow's Kafka set-up before Spring Boot's, so that Boot's defaults (whose error
 * handling retries ten times at once and knows no dead-letter topics) step aside.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@Import(MessagingConfiguration.class)
public class PlatformMessagingAutoConfiguration {
}
