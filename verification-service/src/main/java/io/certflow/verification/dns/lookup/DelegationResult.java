package io.certflow.verification.dns.lookup;

/**
 * What a "Verify" found: for CNAME delegation, what looking up the domain's {@code _acme-challenge}
 * CNAME on the authoritative servers found; for a DNS provider, whether certflow could write there
 * through the credential. Each value tells the customer what to fix; only {@link #VERIFIED} lets
 * certflow answer DNS-01 challenges for the domain. The names are API: values are added, never renamed.
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
    /** The domain itself does not exist: no zone holds it (its nearest zone is the root's or a top-level domain's). */
    ZONE_NOT_FOUND,
    /** The authoritative servers of one zone of the chain answer differently (e.g. a secondary lagging behind). */
    SERVERS_DISAGREE,
    /** A DNSSEC-signed zone of the chain answers with signatures that do not validate (expired, not matching…). */
    DNSSEC_INVALID,
    /** A server did not give an answer (timeout, SERVFAIL, REFUSED, lame delegation…): fix it or try again later. */
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
     * Whether the check proved nothing either way (a lookup or the provider failed, or servers of one zone
     * disagree while a change spreads), so that an authorization keeps its state.
     */
    public boolean inconclusive() {
        return this == LOOKUP_FAILED || this == PROVIDER_UNAVAILABLE || this == SERVERS_DISAGREE;
    }
}
