package io.certflow.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A local certflow stack: the real processes of {@link StackConfig#components()}, started in dependency order
 * (infrastructure first, all launched before waiting, then the services), stopped in reverse.
 *
 * <pre>{@code
 * try (Stack stack = Stack.start(StackConfig.forTests(tempDir, Component.ALL))) {
 *     stack.bind().addCname("_acme-challenge.www.demo.certflow.test.", target);
 * }
 * }</pre>
 *
 * {@link #close()} stops what this object started. {@link #stopAll(StackConfig)} and {@link #status(StackConfig)}
 * work from the pid files, for a CLI invocation other than the one that started the stack.
 */
public final class Stack implements AutoCloseable {
    private static final List<Component> START_ORDER = List.of(Component.MONGO, Component.KAFKA, Component.BIND,
            Component.PEBBLE, Component.NGINX, Component.ORDER_SERVICE, Component.VERIFICATION_SERVICE,
            Component.ISSUANCE_SERVICE, Component.HOSTING_SERVICE, Component.DEPLOYMENT_SERVICE, Component.CONSOLE);

    private final StackConfig config;
    private final Map<Component, ManagedProcess> processes = new EnumMap<>(Component.class);
    private final List<ManagedProcess> startedHere = Collections.synchronizedList(new ArrayList<>());
    private final Consumer<String> progress;
    private Thread shutdownHook;

    private Stack(StackConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
        for (Component c : Component.values()) {
            processes.put(c, create(config, c));
        }
    }

    /**
     * Starts every component of the configuration and waits until each is ready.
     *
     * @throws DevstackException if a component is already running, a port is taken, a binary or jar is missing,
     *                           or a component is not ready in time; whatever was started is stopped again
     */
    public static Stack start(StackConfig config) {
        return start(config, false, s -> { });
    }

    /**
     * Like {@link #start(StackConfig)}, but components already running (pid file of a live process) are kept,
     * and each step is reported to {@code progress}. For {@code ./certflow up}.
     */
    public static Stack start(StackConfig config, boolean reuseRunning, Consumer<String> progress) {
        Stack stack = new Stack(config, progress);
        try {
            stack.startComponents(reuseRunning);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    /** A view on a stack started elsewhere (pid files), to use its BIND or nginx or stop it; starts nothing. */
    public static Stack attach(StackConfig config) {
        return new Stack(config, s -> { });
    }

    public StackConfig config() {
        return config;
    }

    public ManagedProcess process(Component component) {
        return processes.get(component);
    }

    public KafkaProcess kafka() {
        return (KafkaProcess) processes.get(Component.KAFKA);
    }

    public MongoWireProcess mongo() {
        return (MongoWireProcess) processes.get(Component.MONGO);
    }

    public BindProcess bind() {
        return (BindProcess) processes.get(Component.BIND);
    }

    public PebbleProcess pebble() {
        return (PebbleProcess) processes.get(Component.PEBBLE);
    }

    public NginxProcess nginx() {
        return (NginxProcess) processes.get(Component.NGINX);
    }

    /** The web console's process (started when the configuration names {@link Component#CONSOLE}). */
    public ServiceProcess console() {
        return (ServiceProcess) processes.get(Component.CONSOLE);
    }

    public ServiceProcess service(Component service) {
        if (!service.isService()) {
            throw new IllegalArgumentException(service + " is not a service");
        }
        return (ServiceProcess) processes.get(service);
    }

    /** Stops the processes this object started, services first. */
    @Override
    public void close() {
        List<ManagedProcess> toStop;
        synchronized (startedHere) {
            toStop = new ArrayList<>(startedHere);
            startedHere.clear();
        }
        Collections.reverse(toStop);
        stopInOrder(toStop);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
            shutdownHook = null;
        }
    }

    /** Stops every component found in the pid files of {@code config.home()}; returns what was stopped. */
    public static List<Component> stopAll(StackConfig config) {
        Stack view = attach(config);
        List<ManagedProcess> running = new ArrayList<>();
        for (Component c : START_ORDER) {
            if (view.process(c).isRunning()) {
                running.add(view.process(c));
            }
        }
        Collections.reverse(running);
        stopInOrder(running);
        return running.stream().map(ManagedProcess::component).toList();
    }

    /** One line of {@code ./certflow status}. */
    public record ComponentStatus(Component component, boolean running, Optional<Long> pid, int port,
                                  boolean listening, boolean healthy, Path logFile) {
    }

    /** The state of every component, from the pid files and port probes. */
    public static List<ComponentStatus> status(StackConfig config) {
        Stack view = attach(config);
        List<ComponentStatus> result = new ArrayList<>();
        for (Component c : START_ORDER) {
            ManagedProcess p = view.process(c);
            Optional<ProcessHandle> h = p.handle();
            boolean listening = Ports.isListening(p.port());
            boolean healthy = h.isPresent() && listening
                    && (!(p instanceof ServiceProcess s) || s.isHealthy());
            result.add(new ComponentStatus(c, h.isPresent(), h.map(ProcessHandle::pid), p.port(), listening, healthy,
                    p.logFile()));
        }
        return result;
    }

    private void startComponents(boolean reuseRunning) {
        if (!config.detached()) {
            shutdownHook = new Thread(this::close, "certflow-devstack-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        List<ManagedProcess> launchedInfra = new ArrayList<>();
        List<ManagedProcess> launchedServices = new ArrayList<>();
        for (Component c : START_ORDER) {
            if (!config.components().contains(c)) {
                continue;
            }
            ManagedProcess p = processes.get(c);
            if (reuseRunning && p.isRunning()) {
                progress.accept(c.id() + " already running (pid " + p.handle().map(ProcessHandle::pid).orElse(-1L) + ")");
                continue;
            }
            if (c.isService() && !launchedInfra.isEmpty()) {
                awaitAll(launchedInfra); // services need Kafka and Mongo up
                launchedInfra.clear();
            }
            progress.accept("starting " + c.id() + " on port " + p.port() + " (log " + p.logFile() + ")");
            p.startAsync();
            startedHere.add(p);
            (c.isService() ? launchedServices : launchedInfra).add(p);
        }
        awaitAll(launchedInfra);
        awaitAll(launchedServices);
    }

    private void awaitAll(List<ManagedProcess> launched) {
        for (ManagedProcess p : launched) {
            p.awaitReady(config.startTimeout());
            progress.accept(p.component().id() + " ready");
        }
    }

    private static void stopInOrder(List<ManagedProcess> toStop) {
        // services first (they flush to Kafka and Mongo while shutting down), then the infrastructure;
        // each group in parallel, as each process may take seconds to stop gracefully
        stopInParallel(toStop.stream().filter(p -> p.component().isService()).toList());
        stopInParallel(toStop.stream().filter(p -> !p.component().isService()).toList());
    }

    private static void stopInParallel(List<ManagedProcess> group) {
        List<Thread> threads = group.stream().map(p -> new Thread(() -> {
            try {
                p.stop();
            } catch (RuntimeException ignored) {
                // best effort: the caller checks ports and pid files
            }
        }, "stop-" + p.component().id())).toList();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ManagedProcess create(StackConfig config, Component c) {
        return switch (c) {
            case MONGO -> new MongoWireProcess(config);
            case KAFKA -> new KafkaProcess(config);
            case BIND -> new BindProcess(config);
            case PEBBLE -> new PebbleProcess(config);
            case NGINX -> new NginxProcess(config);
            default -> new ServiceProcess(config, c);
        };
    }
}
