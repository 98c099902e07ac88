package io.certflow.hosting.web;

import io.certflow.hosting.managing.CertificateVersion;
import io.certflow.hosting.managing.ExpiryAlert;
import io.certflow.hosting.managing.LastDeployment;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.RenewalWindow;
import io.certflow.hosting.managing.VerificationWarning;

import java.time.Instant;
import java.util.List;

/**
 * A managed certificate as the API shows it (docs/api.md), with its history and last deployment.
 *
 * @param certificateId    the stable id across renewals
 * @param accountId        the owning account
 * @param orderId          the order it belongs to
 * @param domains          the names it covers
 * @param status           {@code PENDING_ISSUANCE|HOSTED|RENEWING|RENEWAL_FAILED|CANCELLED}
 * @param hosting          whether certflow renews it
 * @param termEndsAt       end of the paid term
 * @param serialNumber     the live version's serial
 * @param notBefore        the live version's validity start
 * @param notAfter         the live version's validity end
 * @param nextRenewalAt    when it is renewed (or retried) next; null when no renewal is planned
 * @param lastFailure      why the last issuance or renewal failed, until the next success
 * @param lastFailureAt    when it failed
 * @param failedRenewals   consecutive failed renewals
 * @param renewalEventId   the {@code RenewalDue} of the renewal in progress
 * @param renewalStartedAt when the renewal in progress started
 * @param versions         every issued version, oldest first
 * @param lastDeployment   the latest deployment job reported
 * @param lastAlert        the last expiry alert ({@code CertificateExpiring}) raised, or absent
 * @param createdAt        when hosting first heard of it
 * @param updatedAt        its last change
 * @param renewalWindow    the renewal window the CA suggests for the live version (RFC 9773 ARI), or absent;
 *                         {@code nextRenewalAt} lies inside it
 * @param verificationWarnings domains verification-service found no longer verified ({@code DomainVerificationLost}),
 *                         shown until an issuance after the finding; empty when all are fine
 */
public record CertificateView(String certificateId, String accountId, String orderId, List<String> domains,
                              String status, boolean hosting, Instant termEndsAt, String serialNumber,
                              Instant notBefore, Instant notAfter, Instant nextRenewalAt, String lastFailure,
                              Instant lastFailureAt, int failedRenewals, String renewalEventId,
                              Instant renewalStartedAt, List<CertificateVersion> versions,
                              LastDeployment lastDeployment, ExpiryAlert lastAlert, Instant createdAt, Instant updatedAt,
                              RenewalWindow renewalWindow, List<VerificationWarning> verificationWarnings) {

    static CertificateView of(ManagedCertificate c) {
        return new CertificateView(c.getId(), c.getAccountId(), c.getOrderId(), c.getDomains(), c.getStatus().name(),
                c.isHosting(), c.getTermEndsAt(), c.getSerialNumber(), c.getNotBefore(), c.getNotAfter(),
                c.getNextRenewalAt(), c.getLastFailure(), c.getLastFailureAt(), c.getFailedRenewals(),
                c.getPendingRenewalEventId(), c.getRenewalStartedAt(), c.getVersions(), c.getLastDeployment(),
                c.getLastAlert(), c.getCreatedAt(), c.getUpdatedAt(), c.getRenewalWindow(), c.getVerificationWarnings());
    }
}
