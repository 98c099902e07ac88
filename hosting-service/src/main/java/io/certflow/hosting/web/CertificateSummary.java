package io.certflow.hosting.web;

import io.certflow.hosting.managing.DeploymentOutcome;
import io.certflow.hosting.managing.ManagedCertificate;

import java.time.Instant;
import java.util.List;

/**
 * A managed certificate in a list: what a person scans for (status, expiry, next renewal, what failed, where it
 * was deployed); {@code GET /api/v1/certificates/{id}} gives the whole history.
 *
 * @param certificateId  the stable id across renewals
 * @param orderId        its order
 * @param domains        the names it covers
 * @param status         as in {@link CertificateView}
 * @param serialNumber   the live version's serial
 * @param notAfter       the live version's validity end
 * @param termEndsAt     end of the paid term
 * @param nextRenewalAt  when it is renewed (or retried) next
 * @param lastFailure    why the last issuance or renewal failed, until the next success
 * @param failedRenewals consecutive failed renewals
 * @param lastDeployment the latest deployment job, or absent
 * @param createdAt      when hosting first heard of it
 */
public record CertificateSummary(String certificateId, String orderId, List<String> domains, String status,
                                 String serialNumber, Instant notAfter, Instant termEndsAt, Instant nextRenewalAt,
                                 String lastFailure, int failedRenewals, DeploymentOutcome lastDeployment,
                                 Instant createdAt) {

    static CertificateSummary of(ManagedCertificate c) {
        return new CertificateSummary(c.getId(), c.getOrderId(), c.getDomains(), c.getStatus().name(),
                c.getSerialNumber(), c.getNotAfter(), c.getTermEndsAt(), c.getNextRenewalAt(), c.getLastFailure(),
                c.getFailedRenewals(), c.getLastDeployment(), c.getCreatedAt());
    }
}
