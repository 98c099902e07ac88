package io.certflow.verification.dns.lookup;

/**
 * What looking up a domain's {@code _acme-challenge} CNAME found. Each value tells the customer
 * what to fix; only {@link #VERIFIED} lets certflow answer DNS-01 challenges for the domain.
 */
public enum DelegationResult {
    /** The CNAME (chain) reaches the expected delegation target. */
    VERIFIED,
    /** The name exists but has no records at all (e.g. only names below it exist). */
    NO_RECORD,
    /** The name does not exist. */
    NXDOMAIN,
    /** The CNAME chain ends at another name than the expected target. */
    WRONG_TARGET,
    /** The CNAME chain comes back to a name it already passed. */
    CNAME_LOOP,
    /** The CNAME chain is longer than certflow follows. */
    CHAIN_TOO_LONG,
    /** The name holds other records (TXT, A, …) instead of a CNAME. */
    NOT_A_CNAME,
    /** The resolver did not give an answer (timeout, SERVFAIL, REFUSED…): try again later. */
    LOOKUP_FAILED;

    /** Whether the delegation is in place. */
    public boolean verified() {
        return this == VERIFIED;
    }
}
