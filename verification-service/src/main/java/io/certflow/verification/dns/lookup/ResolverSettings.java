package io.certflow.verification.dns.lookup;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how patiently the DNS lookups ask. The resolver is a recursive server that sees the
 * customers' zones as the public does (here a local BIND); it is asked only to find zones, their name
 * servers and their addresses. The records themselves are asked of those authoritative servers, on
 * {@code authoritativePort} (53 on the internet; a test or devstack on loopback runs them elsewhere).
 *
 * @param host              resolver IP address or host name
 * @param port              resolver port
 * @param timeout           per query try
 * @param attempts          tries per query before the lookup counts as failed
 * @param authoritativePort the port authoritative servers are asked on (0: 53)
 */
public record ResolverSettings(String host, int port, Duration timeout, int attempts, int authoritativePort) {

    public ResolverSettings {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("resolver port out of range: " + port);
        }
        if (authoritativePort < 0 || authoritativePort > 65535) {
            throw new IllegalArgumentException("authoritative port out of range: " + authoritativePort);
        }
        timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
        attempts = attempts <= 0 ? 2 : attempts;
        authoritativePort = authoritativePort == 0 ? 53 : authoritativePort;
    }

    /**
     * Parses {@code host:port} (or {@code [v6]:port}, or a bare host for port 53) with the default
     * timeout (3 s), tries (2) and authoritative port (53).
     */
    public static ResolverSettings parse(String hostPort) {
        String s = Objects.requireNonNull(hostPort, "resolver").strip();
        String host = s;
        int port = 53;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("invalid resolver address: " + hostPort);
            }
            host = s.substring(1, end);
            if (s.length() > end + 1) {
                if (s.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("invalid resolver address: " + hostPort);
                }
                port = parsePort(s.substring(end + 2), hostPort);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = parsePort(s.substring(s.indexOf(':') + 1), hostPort);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("invalid resolver address: " + hostPort);
        }
        return new ResolverSettings(host, port, null, 0, 0);
    }

    private static int parsePort(String port, String input) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid resolver port in " + input, e);
        }
    }

    /** A copy with another per-try timeout and number of tries. */
    public ResolverSettings withTimeout(Duration newTimeout, int newAttempts) {
        return new ResolverSettings(host, port, newTimeout, newAttempts, authoritativePort);
    }

    /** A copy that asks authoritative servers on another port. */
    public ResolverSettings withAuthoritativePort(int newPort) {
        return new ResolverSettings(host, port, timeout, attempts, newPort);
    }
}
