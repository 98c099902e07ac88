package io.certflow.verification.dns.server;

import java.util.List;

/**
 * Where the delegation zone's TXT records come from. The DNS server asks it on every query, so
 * what it answers is always what the service's database holds (a published challenge is served at
 * once, a withdrawn one is gone at once) and several service instances answer alike.
 *
 * <p>Implementations must be safe for concurrent use and quick: they run on the DNS server's
 * worker threads while a resolver waits. An exception makes the server answer SERVFAIL.
 */
@FunctionalInterface
public interface ChallengeRecordStore {

    /**
     * The TXT values served at {@code name}.
     *
     * @param name an absolute name inside the delegation zone, lower-case, with the trailing dot,
     *             e.g. {@code k5x….acme.certflow.test.}
     * @return the values, in a stable order; empty when the name holds no TXT record (the server
     *         then answers NXDOMAIN)
     */
    List<String> txtValues(String name);
}
