package io.certflow.devstack.faults;

import io.certflow.devstack.CaGate;
import io.certflow.devstack.Component;
import io.certflow.devstack.DevstackException;
import io.certflow.devstack.ManagedProcess;
import io.certflow.devstack.Stack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The faults of the fault-injection suite, on the real processes of running stacks: {@code kill -9} of a service
 * and its restart, a graceful stop and a start of Kafka, the Mongo wire server, BIND or nginx (same ports, same
 * data folders: Kafka's log, the H2 file, the zone and its journal, the deployed files), and an unreachable CA
 * through a {@link CaGate}. Every start returns once the component is ready again. It exists so that the end-to-end
 * tests and the soak bench speak of faults instead of processes, and so that each fault is logged with its time.
 *
 * <p>A platform may run as two stacks on one home (the infrastructure, then the services wired to a gate): each
 * component is taken from the stack that started it.
 */
public final class Faults {

    /** One injected fault: what was done to what, when, and how long the component took to be ready again. */
    public record Injected(String what, Component component, Instant at, Duration readyAfter) {
    }

    private final List<Stack> stacks;
    private final CaGate gate;
    private final Consumer<String> log;
    private final List<Injected> history = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param gate   the gate in front of the CA, or null when the services talk to the CA directly
     * @param log    where each fault is reported (one line each)
     * @param stacks the running stacks (the first that has a component in its configuration owns it)
     */
    public Faults(CaGate gate, Consumer<String> log, Stack... stacks) {
        if (stacks.length == 0) {
            throw new IllegalArgumentException("no stack");
        }
        this.stacks = List.of(stacks);
        this.gate = gate;
        this.log = log;
    }

    /** {@code kill -9} of each service, at once (no graceful shutdown, nothing flushed); they stay down. */
    public void kill(Component... services) {
        for (Component service : services) {
            if (!service.isService()) {
                throw new IllegalArgumentException(service + " is not a service; stop() infrastructure");
            }
            process(service).kill();
            record("kill -9", service, null);
        }
    }

    /** Stops each component gracefully (SIGTERM); they stay down until {@link #start}. */
    public void stop(Component... components) {
        for (Component component : components) {
            process(component).stop();
            record("stop", component, null);
        }
    }

    /**
     * Starts the components again, all at once, and waits until each is ready.
     *
     * @return how long they took to be ready, together
     */
    public Duration start(Component... components) {
        Instant started = Instant.now();
        List<ManagedProcess> launched = new ArrayList<>();
        for (Component component : components) {
            ManagedProcess p = process(component);
            p.startAsync();
            launched.add(p);
        }
        for (ManagedProcess p : launched) {
            p.awaitReady(stackOf(p.component()).config().startTimeout());
        }
        Duration took = Duration.between(started, Instant.now());
        for (Component component : components) {
            record("start", component, took);
        }
        return took;
    }

    /** {@code kill -9} of the services, then {@link #start} them again; returns the time to ready. */
    public Duration killAndRestart(Component... services) {
        kill(services);
        return start(services);
    }

    /** A graceful stop, then {@link #start} again (e.g. the Mongo wire server); returns the time to ready. */
    public Duration restart(Component... components) {
        stop(components);
        return start(components);
    }

    /** Stops the component, keeps it down for {@code downFor}, starts it again; returns the time to ready. */
    public Duration outage(Component component, Duration downFor) {
        stop(component);
        ManagedProcess.sleep(downFor.toMillis());
        return start(component);
    }

    /** Makes the CA unreachable (every request through the gate dropped) until {@link #caReachable()}. */
    public void caUnreachable() {
        requireGate().unreachable();
        record("CA unreachable", Component.PEBBLE, null);
    }

    /** Ends {@link #caUnreachable()}. */
    public void caReachable() {
        requireGate().reachable();
        record("CA reachable", Component.PEBBLE, Duration.ZERO);
    }

    /** Every fault injected so far, in order. */
    public List<Injected> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The process of a component, from the stack that started it. */
    public ManagedProcess process(Component component) {
        return stackOf(component).process(component);
    }

    private Stack stackOf(Component component) {
        return stacks.stream().filter(s -> s.config().components().contains(component)).findFirst()
                .orElseThrow(() -> new DevstackException(component.id() + " is in none of the stacks ("
                        + Arrays.toString(stacks.stream().map(s -> s.config().components()).toArray()) + ")"));
    }

    private CaGate requireGate() {
        if (gate == null) {
            throw new IllegalStateException("the services talk to the CA directly: start them behind a CaGate");
        }
        return gate;
    }

    private void record(String what, Component component, Duration readyAfter) {
        Injected injected = new Injected(what, component, Instant.now(), readyAfter);
        history.add(injected);
        log.accept("[fault] " + what + " " + component.id()
                + (readyAfter == null || readyAfter.isZero() ? "" : " (ready after " + readyAfter.toMillis() + " ms)"));
    }
}
