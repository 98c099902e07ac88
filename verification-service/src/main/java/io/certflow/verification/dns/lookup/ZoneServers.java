package io.certflow.verification.dns.lookup;

import org.xbill.DNS.Name;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The authoritative servers of the zone that holds a name, as the resolver names them, or why there are
 * none: the zone does not exist (its domain is not registered), or it could not be found out now.
 *
 * @param status  what was found
 * @param zone    the zone; for {@link Status#NO_ZONE} the nearest zone above that denies the name (the root
 *                or a top-level domain), or {@code null}; {@code null} for {@link Status#FAILED}
 * @param servers one entry per NS record of the zone (empty unless {@link Status#FOUND})
 * @param problem why there are no servers to ask, for people ({@code null} when found)
 */
record ZoneServers(Status status, Name zone, List<NameServer> servers, String problem) {

    /** What looking for the zone found. */
    enum Status {
        /** The zone and its name servers. */
        FOUND,
        /** No zone holds the name: the nearest SOA is the root's or a top-level domain's, which deny it. */
        NO_ZONE,
        /** The resolver did not tell (timeout, SERVFAIL, no NS records): try again later. */
        FAILED
    }

    ZoneServers {
        Objects.requireNonNull(status, "status");
        servers = List.copyOf(servers);
    }

    static ZoneServers found(Name zone, List<NameServer> servers) {
        return new ZoneServers(Status.FOUND, zone, servers, null);
    }

    static ZoneServers noZone(Name nearest, String problem) {
        return new ZoneServers(Status.NO_ZONE, nearest, List.of(), problem);
    }

    static ZoneServers failed(String problem) {
        return new ZoneServers(Status.FAILED, null, List.of(), problem);
    }

    /** The zone's name in lower case, absolute. */
    String zoneText() {
        return zone == null ? null : zone.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * One name server of the zone.
     *
     * @param host      the name in the NS record
     * @param addresses its IPv4 and then IPv6 addresses (empty when it has none)
     */
    record NameServer(Name host, List<InetAddress> addresses) {

        NameServer {
            addresses = List.copyOf(addresses);
        }

        /** {@code ns1.example.com.} and, when asked at one address, {@code ns1.example.com. (2001:db8::1)}. */
        String label(InetAddress address) {
            String name = host.toString().toLowerCase(Locale.ROOT);
            if (address == null) {
                return name;
            }
            String ip = address.getHostAddress();
            if (address instanceof Inet6Address) {
                ip = ip.replaceFirst("(^|:)(0(:|$)){2,}", "::"); // the short form people know: ::1, not 0:0:…:1
            }
            return name + " (" + ip + ")";
        }
    }
}
