package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain of the certificate was verified for certflow, and a later check (on the schedule, or before a renewal)
 * found that it no longer is: the {@code _acme-challenge} CNAME was removed or changed, or the DNS provider
 * credential stopped working. Exists so that people are warned while there is still time, before a renewal fails
 * on it. Raised once per certificate and loss; a Verify that succeeds again ends it.
 *
 * @param domain    the domain that lost its verification (its wildcard shares it), in the form DNS uses
 * @param method    {@code CNAME_DELEGATION} or {@code DNS_PROVIDER}
 * @param result    what the check found, a Verify result name (e.g. {@code WRONG_TARGET}, {@code NXDOMAIN},
 *                  {@code PROVIDER_REFUSED})
 * @param reason    a sentence a person can act on
 * @param checkedAt when the check ran
 */
public record DomainVerificationLost(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                     String domain, String method, String result, String reason, Instant checkedAt)
        implements CertificateEvent {

    public DomainVerificationLost {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(domain, "domain");
        Require.present(method, "method");
        Require.present(result, "result");
        Require.present(reason, "reason");
        Require.present(checkedAt, "checkedAt");
    }
}
