package io.certflow.verification.dns.server;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the delegation zone's authoritative server answers and where it listens. Plain values (no
 * dnsjava types) so the Spring configuration can build it without touching the DNS library.
 *
 * @param zone              the delegation zone, absolute, e.g. {@code acme.certflow.test.}
 * @param address           the IP address to listen on (UDP and TCP)
 * @param port              the port (UDP and TCP); 0 picks a free one (see {@link DelegationZoneServer#port()})
 * @param nameserver        the host name in the zone's SOA MNAME and NS record, absolute
 * @param nameserverAddress the IPv4/IPv6 address published for {@code nameserver} when it lies
 *                          inside the zone; {@code null} publishes none
 * @param txtTtl            TTL of challenge TXT records (short: a CA must see a new value quickly)
 * @param zoneTtl           TTL of the SOA and NS records
 * @param negativeTtl       the SOA minimum: how long resolvers may cache "no such record"
 * @param workerThreads     threads that receive and answer UDP queries (they call the {@link ChallengeRecordStore})
 * @param maxTcpConnections TCP connections served at once; more wait in the accept backlog
 * @param tcpIdleTimeout    how long the server waits for each whole TCP message: a connection idle, or trickling
 *                          bytes, for longer is closed
 * @param responsesPerSecond UDP answers per second to one source address (0: no limit); see
 *                          {@link ResponseRateLimiter}
 * @param slip              every how many rate-limited UDP queries one truncated answer is sent (0: never)
 */
public record DnsServerSettings(String zone, String address, int port, String nameserver,
                                String nameserverAddress, Duration txtTtl, Duration zoneTtl,
                                Duration negativeTtl, int workerThreads, int maxTcpConnections,
                                Duration tcpIdleTimeout, int responsesPerSecond, int slip) {

    public DnsServerSettings {
        zone = absolute(Objects.requireNonNull(zone, "zone"));
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        nameserver = nameserver == null || nameserver.isBlank() ? "ns1." + zone : absolute(nameserver);
        txtTtl = txtTtl == null ? Duration.ofSeconds(5) : txtTtl;
        zoneTtl = zoneTtl == null ? Duration.ofMinutes(5) : zoneTtl;
        negativeTtl = negativeTtl == null ? Duration.ofSeconds(1) : negativeTtl;
        workerThreads = workerThreads <= 0 ? 4 : workerThreads;
        maxTcpConnections = maxTcpConnections <= 0 ? 32 : maxTcpConnections;
        tcpIdleTimeout = tcpIdleTimeout == null ? Duration.ofSeconds(10) : tcpIdleTimeout;
        if (responsesPerSecond < 0 || slip < 0) {
            throw new IllegalArgumentException("responsesPerSecond and slip must not be negative");
        }
    }

    /**
     * Settings with the defaults: name server {@code ns1.<zone>} published at {@code address},
     * TXT TTL 5 s, SOA/NS TTL 5 min, negative TTL 1 s, no response rate limit.
     */
    public static DnsServerSettings of(String zone, String address, int port) {
        return new DnsServerSettings(zone, address, port, null, address, null, null, null, 0, 0, null, 0, 0);
    }

    /** These settings with a response rate limit per source address. */
    public DnsServerSettings withRateLimit(int newResponsesPerSecond, int newSlip) {
        return new DnsServerSettings(zone, address, port, nameserver, nameserverAddress, txtTtl, zoneTtl, negativeTtl,
                workerThreads, maxTcpConnections, tcpIdleTimeout, newResponsesPerSecond, newSlip);
    }

    private static String absolute(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }
}
