package io.certflow.issuance.persistence;

/** Why an attempt exists: the first issuance after {@code DomainsVerified}, or a {@code RenewalDue}. */
public enum AttemptTrigger {
    FIRST_ISSUANCE,
    RENEWAL
}
