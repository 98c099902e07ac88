package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * A domain of the certificate that verification-service found no longer under certflow's control
 * ({@code DomainVerificationLost}): the next renewal will fail on it unless the owner acts. Shown until an
 * issuance after it proves control again.
 *
 * @param domain    the domain (punycode)
 * @param method    {@code CNAME_DELEGATION} or {@code DNS_PROVIDER}
 * @param result    what the check found, e.g. {@code WRONG_TARGET}
 * @param reason    the sentence for the owner
 * @param checkedAt when the check ran
 */
public record VerificationWarning(String domain, String method, String result, String reason, Instant checkedAt) {
}
