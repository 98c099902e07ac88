package io.certflow.verification.web;

import io.certflow.verification.delegation.DomainName;
import io.certflow.verification.persistence.DomainAuthorization;

import java.time.Instant;
import java.util.List;

/**
 * A domain of the account as the console shows it: how certflow controls its challenge name, whether that was
 * verified, the CNAME to create for delegation, and the last Verify's finding.
 *
 * @param domain       the domain in the form DNS uses (punycode for internationalized names)
 * @param displayName  the domain as people read it (Unicode)
 * @param method       {@code CNAME_DELEGATION} or {@code DNS_PROVIDER}
 * @param state        {@code PENDING} or {@code VERIFIED}
 * @param credentialId the DNS credential used by {@code DNS_PROVIDER}, else null
 * @param cname        the record to create for {@code CNAME_DELEGATION} (shown for both methods, so that the owner
 *                     can switch)
 * @param lastCheck    the last Verify, or null
 * @param verifiedAt   when it was first verified, or null
 */
public record DomainView(String domain, String displayName, String method, String state, String credentialId,
                         DelegationView cname, LastCheck lastCheck, Instant verifiedAt) {

    /**
     * @param result    a result name (see the Verify results in the API documentation)
     * @param detail    what was found and what to do
     * @param found     what DNS or the provider showed
     * @param checkedAt when
     */
    public record LastCheck(String result, String detail, List<String> found, Instant checkedAt) {
    }

    static DomainView of(DomainAuthorization a, String zone) {
        DomainAuthorization.Check c = a.getLastCheck();
        return new DomainView(a.getDomain(), DomainName.displayName(a.getDomain()), a.getMethod(), a.getState().name(),
                a.getCredentialId(), DelegationView.of(a, zone),
                c == null ? null : new LastCheck(c.result(), c.detail(), c.found(), c.checkedAt()), a.getVerifiedAt());
    }
}
