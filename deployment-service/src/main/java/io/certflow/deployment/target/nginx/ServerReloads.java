package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.process.CommandResult;
import io.certflow.deployment.target.process.CommandRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One configuration test and one reload for the changes that reach an nginx server together (a group commit),
 * instead of one each: {@code nginx -t} and {@code nginx -s reload} each load every site's certificate and key, so
 * a reload per site costs O(sites²) on a server with many (100 sites: 208 s one by one, docs/benchmarks.md).
 *
 * <p>A server is named by its test and reload commands. Its files are written one change at a time, never while
 * its configuration is tested or reloaded (a test or reload that met a half-written certificate and key pair would
 * fail another site's deployment). The first change after a reload opens a batch, waits {@code gather} for others
 * to join it, then tests and reloads once for all; every change of the batch gets that answer. A failed test
 * therefore fails every change it covered (they are rolled back): one job deploys one certificate, so a test that
 * fails for one site of the job fails for the others too.
 */
final class ServerReloads {

    /** The answer of one test and reload: {@code test} null when none is configured, {@code reload} null when not run. */
    record Reload(CommandResult test, CommandResult reload) {
        boolean testFailed() {
            return test != null && !test.succeeded();
        }
    }

    /** A change to a server's files. */
    @FunctionalInterface
    interface Change {
        void write() throws IOException;
    }

    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final CommandRunner commands;
    private final Duration timeout;
    private final Duration gather;

    ServerReloads(CommandRunner commands, Duration timeout, Duration gather) {
        this.commands = commands;
        this.timeout = timeout;
        this.gather = gather;
    }

    /**
     * Writes {@code change} while the server is neither tested nor reloaded, then waits for the first test and
     * reload after it (shared with the changes written meanwhile).
     *
     * @throws IOException from the change; then it joined no reload
     */
    Reload writeAndReload(NginxConfig config, Change change) throws IOException {
        Server server = server(config);
        Batch batch;
        boolean leads;
        server.files.lock();
        try {
            change.write();
            leads = server.open == null;
            if (leads) {
                server.open = new Batch();
            }
            batch = server.open;
        } finally {
            server.files.unlock();
        }
        if (leads) {
            lead(server, batch, config);
        }
        return batch.done.join();
    }

    /** Writes {@code change} while the server is neither tested nor reloaded; no reload. */
    void write(NginxConfig config, Change change) throws IOException {
        Server server = server(config);
        server.files.lock();
        try {
            change.write();
        } finally {
            server.files.unlock();
        }
    }

    private void lead(Server server, Batch batch, NginxConfig config) {
        try {
            Thread.sleep(gather.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.files.lock();
        try {
            server.open = null;
            batch.done.complete(testAndReload(config));
        } catch (RuntimeException e) {
            batch.done.completeExceptionally(e);
        } finally {
            server.files.unlock();
        }
    }

    private Reload testAndReload(NginxConfig config) {
        CommandResult test = null;
        if (!config.testCommand().isEmpty()) {
            test = commands.run(config.testCommand(), timeout);
            if (!test.succeeded()) {
                return new Reload(test, null);
            }
        }
        return new Reload(test, commands.run(config.reloadCommand(), timeout));
    }

    private Server server(NginxConfig config) {
        return servers.computeIfAbsent(String.join(" ", config.testCommand()) + "\n"
                + String.join(" ", config.reloadCommand()), k -> new Server());
    }

    private static final class Server {
        final ReentrantLock files = new ReentrantLock();
        /** The batch changes join until its test and reload begin; guarded by {@link #files}. */
        Batch open;
    }

    private static final class Batch {
        final CompletableFuture<Reload> done = new CompletableFuture<>();
    }
}
