package io.certflow.verification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of verification-service ({@code certflow.verification.*}).
 *
 * @param delegationZone the zone customers' {@code _acme-challenge} CNAMEs point into; certflow is
 *                       its authoritative server
 * @param dns            the authoritative DNS server of that zone
 * @param resolver       {@code host:port} of the resolver the "Verify" action asks (a recursive
 *                       server that sees customer zones as the public does)
 * @param lookup         patience of the "Verify" lookup
 * @param challenge      publishing challenge records and checking they are served
 * @param keyEncryptionKey base64 of the 32-byte key that seals DNS provider credentials (required)
 * @param previousKeyEncryptionKeys older keys still accepted for opening credentials sealed before a rotation
 * @param providers      talking to DNS providers ("automatic DNS")
 * @param recheck        keeping verified domains under watch
 */
@ConfigurationProperties("certflow.verification")
public record VerificationProperties(@DefaultValue("acme.certflow.test.") String delegationZone,
                                     @DefaultValue Dns dns,
                                     @DefaultValue("127.0.0.1:5353") String resolver,
                                     @DefaultValue Lookup lookup,
                                     @DefaultValue Challenge challenge,
                                     String keyEncryptionKey,
                                     @DefaultValue List<String> previousKeyEncryptionKeys,
                                     @DefaultValue Providers providers,
                                     @DefaultValue Recheck recheck) {

    public VerificationProperties {
        String zone = delegationZone.strip().toLowerCase(Locale.ROOT);
        delegationZone = zone.endsWith(".") ? zone : zone + ".";
    }

    /**
     * The delegation zone's DNS server.
     *
     * @param enabled           whether the service serves the zone itself (off when another server does)
     * @param address           IP address to listen on (UDP and TCP)
     * @param port              port to listen on; 0 picks a free one
     * @param nameserver        host name in the SOA and NS records (default {@code ns1.<zone>})
     * @param nameserverAddress address published for that host name (default: {@code address})
     * @param txtTtl            TTL of challenge TXT records
     * @param negativeTtl       SOA minimum: how long "no such record" may be cached
     * @param workerThreads     threads answering queries
     * @param responsesPerSecond UDP answers per second to one source address (0: unlimited)
     * @param slip              every how many rate-limited UDP queries one truncated answer goes out (0: never)
     */
    public record Dns(@DefaultValue("true") boolean enabled,
                      @DefaultValue("127.0.0.1") String address,
                      @DefaultValue("8053") int port,
                      String nameserver,
                      String nameserverAddress,
                      @DefaultValue("5s") Duration txtTtl,
                      @DefaultValue("1s") Duration negativeTtl,
                      @DefaultValue("4") int workerThreads,
                      @DefaultValue("100") int responsesPerSecond,
                      @DefaultValue("2") int slip) {
    }

    /**
     * The "Verify" lookup.
     *
     * @param timeout           per DNS query try
     * @param attempts          tries per query
     * @param maxCnameChain     CNAME links followed before CHAIN_TOO_LONG
     * @param authoritativePort port the zones' authoritative servers are asked on (53; a local stack on
     *                          loopback runs them on another)
     */
    public record Lookup(@DefaultValue("3s") Duration timeout,
                         @DefaultValue("2") int attempts,
                         @DefaultValue("8") int maxCnameChain,
                         @DefaultValue("53") int authoritativePort) {
    }

    /**
     * Re-checking verified (and lost) domains, so that a removed CNAME or a failing credential is noticed before a
     * renewal fails on it.
     *
     * @param every       how long after a check the next one is due
     * @param interval    how often due re-checks are looked for
     * @param batch       re-checks per round at most
     * @param beforeRenewal how soon the domains of a certificate whose renewal is due are re-checked
     */
    public record Recheck(@DefaultValue("12h") Duration every,
                          @DefaultValue("1m") Duration interval,
                          @DefaultValue("100") int batch,
                          @DefaultValue("0s") Duration beforeRenewal) {
    }

    /**
     * DNS providers.
     *
     * @param timeout         per request to a provider's API or server
     * @param customEndpoints whether a credential may name its own API endpoint (tests, private clouds); off by
     *                        default so that a credential cannot make certflow send requests anywhere
     */
    public record Providers(@DefaultValue("10s") Duration timeout,
                            @DefaultValue("false") boolean customEndpoints) {
    }

    /**
     * Challenge records.
     *
     * @param checkInterval how often published records are checked on the DNS server
     * @param readyTimeout  how long records may take to be served before ChallengeReady(ready=false)
     * @param queryTimeout  per query of that check
     * @param keepEnded     how long the records of an ended attempt are kept (for support) before they are deleted
     */
    public record Challenge(@DefaultValue("250ms") Duration checkInterval,
                            @DefaultValue("2m") Duration readyTimeout,
                            @DefaultValue("2s") Duration queryTimeout,
                            @DefaultValue("1d") Duration keepEnded) {
    }
}
