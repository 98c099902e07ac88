package io.certflow.verification.dns.lookup;

/**
 * What a "Verify" found: for CNAME delegation, what looking up the domain's {@code _acme-challenge}
 * CNAME found; for a DNS provider, whether certflow could write there through the credential. Each
 * value tells the customer what to fix; only {@link #VERIFIED} lets certflow answer DNS-01 challenges
 * for the domain.
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
    LOOKUP_FAILED,
    /** DNS provider method: the credential's provider holds no zone containing the challenge name. */
    NO_PROVIDER_ZONE,
    /** DNS provider method: the provider refused (credential wrong, deleted or lacking permission). */
    PROVIDER_REFUSED,
    /** DNS provider method: the provider did not answer or failed (timeout, 5xx, throttling): try again later. */
    PROVIDER_UNAVAILABLE;

    /** Whether the delegation is in place. */
    public boolean verified() {
        return this == VERIFIED;
    }

    /**
     * Whether the check proved nothing either way (the lookup or the provider failed), so that an authorization
     * keeps its state.
     */
    public boolean inconclusive() {
        return this == LOOKUP_FAILED || this == PROVIDER_UNAVAILABLE;
    }
}
