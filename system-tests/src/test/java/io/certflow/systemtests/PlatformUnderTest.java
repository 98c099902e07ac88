package io.certflow.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.devstack.faults.Faults;
import io.certflow.devstack.faults.GatedPlatform;
import io.certflow.events.Topics;
import io.certflow.testsupport.ApiClient;
import io.certflow.testsupport.TopicProbe;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform on real processes for one end-to-end test class: started from a
 * {@link StackConfig}, with a {@link TopicProbe} on every topic once the scenario ran, the services'
 * APIs under the demo key, and one {@link #close()} for everything. Started {@linkplain #startBehindGate behind a
 * gate}, issuance-service reaches Pebble through a {@link CaGate} (orders counted, requests held, the CA made
 * unreachable) and {@link #faults()} injects faults into every process.
 */
final class PlatformUnderTest implements AutoCloseable {

    private final List<Stack> stacks;
    private final StackConfig config;
    private final CaGate gate;
    private final Faults faults;
    private TopicProbe topics;

    private PlatformUnderTest(List<Stack> stacks, StackConfig config, CaGate gate) {
        this.stacks = stacks;
        this.config = config;
        this.gate = gate;
        this.faults = new Faults(gate, System.out::println, stacks.toArray(Stack[]::new));
    }

    /** Starts every component of {@code config} and waits until each is ready. */
    static PlatformUnderTest start(StackConfig config) {
        Stack stack = Stack.start(config, false, PlatformUnderTest::progress);
        return new PlatformUnderTest(List.of(stack), config, null);
    }

    /**
     * Starts the infrastructure of {@code config}, a {@link CaGate} in front of Pebble, then the services, with
     * issuance-service's CA directory at the gate (a {@link GatedPlatform}).
     */
    static PlatformUnderTest startBehindGate(StackConfig config) {
        GatedPlatform gated = GatedPlatform.start(config, PlatformUnderTest::progress);
        return new PlatformUnderTest(List.of(gated.infrastructure(), gated.services()), gated.config(), gated.gate());
    }

    private static void progress(String line) {
        System.out.println("[stack] " + line);
    }

    /** The configuration the services run with (the gate's CA directory when behind a gate). */
    StackConfig config() {
        return config;
    }

    /** The infrastructure's stack (BIND, nginx, Pebble, …). */
    Stack infrastructure() {
        return stacks.get(0);
    }

    /** The gate in front of Pebble; only when started {@linkplain #startBehindGate behind one}. */
    CaGate gate() {
        if (gate == null) {
            throw new IllegalStateException("not started behind a gate");
        }
        return gate;
    }

    /** Kills, stops and starts the platform's processes. */
    Faults faults() {
        return faults;
    }

    /** Reads every certflow topic from the beginning (call it after the services created their topics). */
    TopicProbe topics() {
        if (topics == null) {
            topics = new TopicProbe(config().kafkaBootstrapServers()).start();
        }
        return topics;
    }

    /** A client of a service's API. */
    ApiClient api(Component service) {
        return new ApiClient(config().serviceUrl(service));
    }

    /** How many items a list endpoint of a service answers for the demo account. */
    int count(Component service, String path) {
        JsonNode body = api(service).get(path, config().apiKey()).json(200);
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
        for (int i = stacks.size() - 1; i >= 0; i--) {
            stacks.get(i).close();
        }
        if (gate != null) {
            gate.close();
        }
    }
}
