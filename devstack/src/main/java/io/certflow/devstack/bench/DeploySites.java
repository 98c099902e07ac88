package io.certflow.devstack.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The server {@code ./certflow bench deploy} deploys to: one real nginx or HAProxy serving N TLS sites on one
 * address, told apart by SNI ({@code s<i>.bench.certflow.test}), each site with its own certificate file(s). Exists
 * so that the benchmark drives both server types the same way: start, the settings of each site as a resource of
 * deployment-service, and how to read what the server did (its process for CPU, how often it reloaded).
 */
interface DeploySites extends AutoCloseable {

    /** The zone every site name is in. */
    String ZONE = "bench.certflow.test";

    /** The name of site {@code i} (from 0), also what its resource serves and the certificate must cover. */
    static String serverName(int i) {
        return "s" + i + "." + ZONE;
    }

    /** The resource type of deployment-service: {@code nginx} or {@code haproxy}. */
    String type();

    /** One sentence for the report: the server, its version, how the sites are configured. */
    String describe();

    /** Writes the configuration and the initial certificates, starts the server and waits until it serves. */
    void start();

    /** Stops the server (idempotent). */
    @Override
    void close();

    /** The loopback port every site is served on. */
    int port();

    /** The settings of site {@code i} as a resource of deployment-service ({@code POST /api/v1/resources}). */
    Map<String, String> resourceConfig(int i);

    /** deployment-service's property that lets it write below {@link #directory()}. */
    String allowedDirectoriesProperty();

    /** The folder holding the server's certificate files (and admin socket). */
    Path directory();

    /** The server's main process (nginx's master, HAProxy's only process). */
    Optional<ProcessHandle> handle();

    /** How often the server re-read its configuration so far, or -1 where that does not apply. */
    long reloads();
}
