package io.certflow.platform.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * How certflow services use Kafka.
 *
 * @param partitions        partitions of every certflow topic this service creates
 * @param replicationFactor replication of those topics
 * @param retry             the bounded exponential backoff of a record whose processing failed
 * @param maxRecordSize     the largest record value a consumer reads (default 1 MiB, the broker's own
 *                          default): a larger one is dead-lettered as "record too large (N bytes)" without
 *                          being parsed, and its dead letter keeps key, headers and reason but not the value.
 *                          Raise it only together with the topics' {@code max.message.bytes}.
 */
@ConfigurationProperties("certflow.messaging")
public record MessagingProperties(@DefaultValue("3") int partitions,
                                  @DefaultValue("1") short replicationFactor,
                                  @DefaultValue Retry retry,
                                  @DefaultValue("1MB") DataSize maxRecordSize) {

    /**
     * Retry of a failed record before it goes to the dead-letter topic.
     *
     * @param initialInterval first wait
     * @param multiplier      growth of each next wait
     * @param maxInterval     longest wait
     * @param maxRetries      retries before the record is dead-lettered
     */
    public record Retry(@DefaultValue("1s") Duration initialInterval,
                        @DefaultValue("2.0") double multiplier,
                        @DefaultValue("30s") Duration maxInterval,
                        @DefaultValue("5") int maxRetries) {
    }
}
