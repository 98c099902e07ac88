package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.Component;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.events.Topics;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform on real processes for one end-to-end test class: started from a
 * {@link StackConfig}, with a {@link TopicProbe} on every topic once the scenario ran, the services'
 * APIs under the demo key, and one {@link #close()} for everything.
 */
final class PlatformUnderTest implements AutoCloseable {

    private final Stack stack;
    private TopicProbe topics;

    private PlatformUnderTest(Stack stack) {
        this.stack = stack;
    }

    /** Starts every component of {@code config} and waits until each is ready. */
    static PlatformUnderTest start(StackConfig config) {
        return new PlatformUnderTest(Stack.start(config, false, line -> System.out.println("[stack] " + line)));
    }

    StackConfig config() {
        return stack.config();
    }

    /** Reads every certflow topic from the beginning (call it after the services created their topics). */
    TopicProbe topics() {
        if (topics == null) {
            topics = new TopicProbe(config().kafkaBootstrapServers()).start();
        }
        return topics;
    }

    /** How many items a list endpoint of a service answers for the demo account. */
    int count(Component service, String path) {
        JsonNode body = new ApiClient(config().serviceUrl(service)).get(path, config().apiKey()).json(200);
        return (body.isArray() ? body : body.path("items")).size();
    }

    /** Asserts that no record of any topic was dead-lettered. */
    void assertNothingDeadLettered() {
        for (String topic : Topics.ALL) {
            assertThat(topics().records(Topics.deadLetter(topic))).as(Topics.deadLetter(topic)).isEmpty();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (topics != null) {
            topics.close();
        }
        stack.close();
    }
}
