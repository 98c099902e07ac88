package io.certflow.issuance.ca;

import java.net.URI;
import java.util.Objects;

/**
 * One DNS-01 challenge of an order: the TXT value the CA expects at the domain's challenge name.
 * Exists so that the challenge can be published by verification-service and triggered later by URL.
 *
 * @param domain       the identifier being proven, without a wildcard prefix
 * @param recordName   {@code _acme-challenge.<domain>.}
 * @param txtValue     the digest to publish as TXT
 * @param challengeUrl the challenge's URL at the CA, used to trigger it
 */
public record DnsChallenge(String domain, String recordName, String txtValue, URI challengeUrl) {

    public DnsChallenge {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(recordName, "recordName");
        Objects.requireNonNull(txtValue, "txtValue");
        Objects.requireNonNull(challengeUrl, "challengeUrl");
    }

    /** The TXT record name for a domain (a wildcard's name is that of its base domain). */
    public static String recordNameFor(String domain) {
        String base = domain.startsWith("*.") ? domain.substring(2) : domain;
        return "_acme-challenge." + base + ".";
    }
}
