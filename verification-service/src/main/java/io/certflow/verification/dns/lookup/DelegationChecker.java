package io.certflow.verification.dns.lookup;

import java.util.Optional;

/**
 * The "Verify" action: does {@code _acme-challenge.<domain>.} point, by CNAME, at the delegation
 * target certflow gave the account? Port in domain words; {@link DnsDelegationChecker} asks the
 * authoritative servers with dnsjava.
 */
public interface DelegationChecker {

    /**
     * Looks the delegation up and says precisely what was found. Never throws for anything DNS
     * does (timeouts and server failures are {@link DelegationResult#LOOKUP_FAILED}).
     *
     * @param domain         the domain (normalized, without trailing dot; the base domain for a wildcard)
     * @param expectedTarget the absolute delegation target, e.g. {@code k5x….acme.certflow.test.}
     */
    DelegationDiagnosis check(String domain, String expectedTarget);

    /**
     * The zone that holds {@code domain} as the public sees it (found by walking SOA records), so that the owner
     * can be told the record's host name relative to the zone, as DNS consoles ask for it.
     *
     * @return the absolute zone, e.g. {@code example.com.}; empty when it cannot be found now
     */
    Optional<String> zoneOf(String domain);
}
