package io.certflow.verification.dns.lookup;

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
}
