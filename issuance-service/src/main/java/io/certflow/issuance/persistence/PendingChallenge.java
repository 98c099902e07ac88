package io.certflow.issuance.persistence;

/**
 * A DNS-01 challenge of an attempt's order, as stored: what verification-service publishes and the
 * URL to trigger it later. None of it is secret (the TXT value is public in DNS).
 *
 * @param domain       the identifier, without wildcard prefix
 * @param recordName   {@code _acme-challenge.<domain>.}
 * @param txtValue     the TXT value
 * @param challengeUrl the challenge's URL at the CA
 */
public record PendingChallenge(String domain, String recordName, String txtValue, String challengeUrl) {
}
