package io.certflow.testsupport.messaging;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The topics a running service actually consumes, read from its listener containers: a hostile-records
 * test compares its table with them, so a listener added later without a row makes the test fail.
 */
public final class ListenedTopics {

    private ListenedTopics() {
    }

    /** Every topic some {@code @KafkaListener} of the context reads. */
    public static Set<String> of(KafkaListenerEndpointRegistry registry) {
        Set<String> topics = new TreeSet<>();
        for (MessageListenerContainer container : registry.getAllListenerContainers()) {
            String[] named = container.getContainerProperties().getTopics();
            if (named != null) {
                topics.addAll(Arrays.asList(named));
            }
        }
        return topics;
    }
}
