package io.certflow.console.topics;

import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an admin client's answer, turning Kafka's failures into answers the API can give. */
public final class KafkaCalls {

    private KafkaCalls() {
    }

    /** The future's value, or a {@link KafkaUnavailableException} (503) when Kafka fails or is too slow. */
    public static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while asking Kafka for " + what + ".");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new KafkaUnavailableException("Kafka does not know a topic needed for " + what
                        + " (not created yet?).");
            }
            throw new KafkaUnavailableException("Kafka failed to answer " + what + ": "
                    + e.getCause().getClass().getSimpleName() + ".");
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not answer " + what + " within " + timeout.toSeconds() + " s.");
        }
    }
}
