package io.certflow.verification.dns.server;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the delegation zone's DNS server with the Spring context and stops it with the context,
 * so the zone is served exactly while the service runs (and a test context gets its own server).
 */
public class DelegationZoneLifecycle implements SmartLifecycle {

    private final DelegationZoneServer server;

    public DelegationZoneLifecycle(DnsServerSettings settings, ChallengeRecordStore store, long serial) {
        this.server = new DelegationZoneServer(settings, store, serial);
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    /** The port the server listens on; -1 while stopped. */
    public int port() {
        return server.port();
    }
}
