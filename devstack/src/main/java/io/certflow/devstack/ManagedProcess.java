package io.certflow.devstack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One process of the stack: how it is launched (output appended to {@code logs/<id>.log}, pid in
 * {@code run/<id>.pid} so that another CLI invocation finds it), how readiness is awaited, how it is stopped.
 * Subclasses say what to write before starting, the command line and what "ready" means.
 */
public abstract class ManagedProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    protected final StackConfig config;
    protected final Component component;
    private Process process;
    private long logOffsetAtStart;

    protected ManagedProcess(StackConfig config, Component component) {
        this.config = config;
        this.component = component;
    }

    public Component component() {
        return component;
    }

    /** The main port (see {@link Ports#of(Component)}). */
    public int port() {
        return config.ports().of(component);
    }

    public Path logFile() {
        return config.logFile(component);
    }

    public Path pidFile() {
        return config.pidFile(component);
    }

    /** The live process of this component, whether this JVM or an earlier CLI invocation started it. */
    public Optional<ProcessHandle> handle() {
        if (process != null) {
            return process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
        }
        return livePid(pidFile());
    }

    public boolean isRunning() {
        return handle().isPresent();
    }

    /**
     * Writes the component's files, checks binary and ports, launches it and waits until it is ready.
     *
     * @throws DevstackException when a port is taken, a binary missing, the process dies or is not ready in time
     */
    public final void start() {
        startAsync();
        awaitReady(config.startTimeout());
    }

    /** Checks, writes the files and launches, without waiting for readiness (see {@link #awaitReady}). */
    public void startAsync() {
        Optional<ProcessHandle> running = livePid(pidFile());
        if (running.isPresent()) {
            throw new DevstackException(component.id() + " is already running (pid " + running.get().pid()
                    + ", " + pidFile() + "): run ./certflow down first");
        }
        checkPrerequisites();
        for (int[] p : portsToCheck()) {
            Ports.requireFree(p[0], p[1] == 1, component.id());
        }
        try {
            Files.createDirectories(config.logsDir());
            Files.createDirectories(config.runDir());
            Files.createDirectories(config.dataDir());
            prepare();
        } catch (IOException e) {
            throw new DevstackException("cannot prepare " + component.id() + ": " + e.getMessage(), e);
        }
        process = launch(command(), environment(), workingDirectory());
    }

    /** Waits until {@link #isReady()}; fails with the log's last lines if the process dies or time runs out. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new DevstackException(component.id() + " exited with code " + process.exitValue()
                        + " while starting; " + logHint());
            }
            try {
                if (isReady()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            sleep(readinessPollMillis());
        }
        throw new DevstackException(component.id() + " was not ready after " + timeout.toSeconds() + " s ("
                + readinessDescription() + (last != null ? ", last error: " + last : "") + "); " + logHint());
    }

    /** Stops the process (SIGTERM, then SIGKILL after a grace period) and removes the pid file. */
    public void stop() {
        Optional<ProcessHandle> h = process != null ? Optional.of(process.toHandle()) : livePid(pidFile());
        h.ifPresent(ManagedProcess::terminate);
        process = null;
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // nothing to do
        }
    }

    /**
     * Kills the process at once with SIGKILL ({@code kill -9}: no shutdown hooks, no graceful stop, nothing
     * flushed), waits until it is gone and removes the pid file, so that {@link #start()} can start it again.
     * For crash tests; {@link #stop()} is the normal way.
     */
    public void kill() {
        Optional<ProcessHandle> h = process != null ? Optional.of(process.toHandle()) : livePid(pidFile());
        h.ifPresent(p -> {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroyForcibly(); // SIGKILL on Linux
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new DevstackException(component.id() + " (pid " + p.pid() + ") did not die after SIGKILL", e);
            }
            children.forEach(ProcessHandle::destroyForcibly);
        });
        process = null;
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** What the readiness probe checks, for messages. */
    protected abstract String readinessDescription();

    /** One readiness probe; true when the component serves. */
    protected abstract boolean isReady() throws Exception;

    /** The command line. */
    protected abstract List<String> command();

    /** Writes configuration and data files before launch. */
    protected abstract void prepare() throws IOException;

    /** How often {@link #isReady()} is probed while starting. */
    protected long readinessPollMillis() {
        return 250;
    }

    /** Ports that must be free: {port, 1 if UDP too else 0}. */
    protected List<int[]> portsToCheck() {
        return List.of(new int[] {port(), 0});
    }

    /** Throws when something the component needs (a binary, a jar) is missing. */
    protected void checkPrerequisites() {
    }

    protected Map<String, String> environment() {
        return Map.of();
    }

    protected Path workingDirectory() {
        return config.home();
    }

    /** The text written to the log since this JVM launched the process. */
    protected String logSinceStart() throws IOException {
        Path log = logFile();
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.min(logOffsetAtStart, len);
            byte[] buf = new byte[(int) Math.min(len - from, 8 * 1024 * 1024)];
            f.seek(len - buf.length);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        }
    }

    /** "see <log>" plus its last lines. */
    protected String logHint() {
        return "see " + logFile() + tail(logFile(), 25);
    }

    /** The JVM running this code, for child Java processes. */
    protected static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a helper command to completion, its output appended to this component's log. */
    protected void runToCompletion(List<String> command, Duration timeout) {
        try {
            Files.createDirectories(config.logsDir());
            appendLogHeader(command);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(environment());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DevstackException(component.id() + ": '" + String.join(" ", command) + "' did not finish in "
                        + timeout.toSeconds() + " s; " + logHint());
            }
            if (p.exitValue() != 0) {
                throw new DevstackException(component.id() + ": '" + String.join(" ", command) + "' failed with code "
                        + p.exitValue() + "; " + logHint());
            }
        } catch (IOException e) {
            throw new DevstackException(component.id() + ": cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }

    private Process launch(List<String> command, Map<String, String> env, Path dir) {
        List<String> full = new ArrayList<>();
        Optional<Path> setsid = Binaries.find("setsid");
        if (config.detached() && setsid.isPresent()) {
            full.add(setsid.get().toString()); // own session: survives the CLI and its terminal's Ctrl-C
        }
        full.addAll(command);
        try {
            Files.createDirectories(dir);
            appendLogHeader(command);
            logOffsetAtStart = Files.size(logFile());
            ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            ProcessHandle h = p.toHandle();
            long started = h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            Files.writeString(pidFile(), h.pid() + "\n" + started + "\n" + String.join(" ", command) + "\n");
            return p;
        } catch (IOException e) {
            throw new DevstackException("cannot start " + component.id() + " (" + command.get(0) + "): "
                    + e.getMessage(), e);
        }
    }

    private void appendLogHeader(List<String> command) throws IOException {
        Files.writeString(logFile(), "==== certflow devstack " + Instant.now() + ": " + String.join(" ", command)
                + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The live process named by a pid file, checking its start time so that a reused pid is not taken for it. */
    public static Optional<ProcessHandle> livePid(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            long started = lines.size() > 1 ? Long.parseLong(lines.get(1).trim()) : 0L;
            Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (h.isPresent() && started != 0L) {
                Optional<Instant> actual = h.get().info().startInstant();
                if (actual.isPresent() && Math.abs(actual.get().toEpochMilli() - started) > 2000) {
                    return Optional.empty();
                }
            }
            return h;
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, wait, SIGKILL the process and whatever children it left. */
    static void terminate(ProcessHandle h) {
        List<ProcessHandle> children = h.descendants().toList();
        h.destroy();
        try {
            h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller's port check
            }
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return " (no log yet)";
            }
            List<String> all;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long len = f.length();
                int size = (int) Math.min(len, 64 * 1024);
                byte[] buf = new byte[size];
                f.seek(len - size);
                f.readFully(buf);
                all = List.of(new String(buf, StandardCharsets.UTF_8).split("\n"));
            }
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return ", last lines:\n    " + String.join("\n    ", last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps; an interrupt ends the wait with a {@link DevstackException} (the interrupt flag is kept). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }
}
