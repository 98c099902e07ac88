package io.certflow.verification.web;

import io.certflow.verification.delegation.DomainName;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.VerificationRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A certificate's verification: the method its application chose and where each of its (base) domains stands.
 *
 * @param certificateId      the certificate
 * @param orderId            its order
 * @param verificationMethod the method the application chose ({@code CNAME_DELEGATION}, {@code DNS_PROVIDER}), or
 *                           null: whatever each domain is set up for
 * @param state              {@code WAITING} or {@code VERIFIED} ({@code DomainsVerified} was raised)
 * @param requestedAt        when the request arrived
 * @param verifiedAt         when its domains were verified, or null
 * @param domains            its authorization domains (a wildcard's is its base domain)
 */
public record CertificateVerificationView(String certificateId, String orderId, String verificationMethod, String state,
                                          Instant requestedAt, Instant verifiedAt, List<Domain> domains) {

    /**
     * One domain of the certificate.
     *
     * @param domain       the domain (punycode)
     * @param displayName  the domain as people read it
     * @param method       the method the domain is set up for: {@code CNAME_DELEGATION} or {@code DNS_PROVIDER}
     * @param state        {@code PENDING}, {@code VERIFIED} or {@code LOST}
     * @param credentialId the DNS credential of {@code DNS_PROVIDER}, else null
     * @param waitingFor   what the certificate waits for on this domain, or null
     */
    public record Domain(String domain, String displayName, String method, String state, String credentialId,
                         String waitingFor) {
    }

    static CertificateVerificationView of(VerificationRequest request, Map<String, DomainAuthorization> authorizations) {
        List<Domain> domains = request.getAuthorizationDomains().stream().map(d -> {
            DomainAuthorization a = authorizations.get(d);
            return a == null
                    ? new Domain(d, DomainName.displayName(d), null, null, null, "not set up yet")
                    : new Domain(d, DomainName.displayName(d), a.getMethod(), a.getState().name(), a.getCredentialId(),
                    request.isWaiting() ? waitingFor(request, a) : null);
        }).toList();
        return new CertificateVerificationView(request.getCertificateId(), request.getOrderId(),
                request.getVerificationMethod(), request.getState().name(), request.getRequestedAt(),
                request.getVerifiedAt(), domains);
    }

    private static String waitingFor(VerificationRequest request, DomainAuthorization a) {
        for (VerificationRequest.MethodProblem problem : request.getMethodProblems()) {
            if (problem.domain().equals(a.getDomain())) {
                return problem.detail();
            }
        }
        String cname = "the CNAME " + a.getRecordName() + " -> " + a.getDelegationTarget()
                + " (GET /api/v1/domains/" + a.getDomain() + "/delegation), then Verify";
        if (!request.acceptsMethodOf(a)) {
            return DomainAuthorization.METHOD_CNAME_DELEGATION.equals(request.getVerificationMethod())
                    ? "This order chose CNAME_DELEGATION; the domain is set up for " + a.getMethod() + ": " + cname
                    : "This order chose DNS_PROVIDER; certflow is looking for a DNS credential of the account that "
                    + "covers the zone of " + a.getRecordName();
        }
        if (a.isVerified()) {
            return null;
        }
        String last = a.getLastCheck() == null ? "" : " Last check: " + a.getLastCheck().detail();
        return (a.usesProvider() ? "a Verify through DNS credential " + a.getCredentialId() : cname) + "." + last;
    }
}
