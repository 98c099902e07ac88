package io.certflow.hosting.web;

import io.certflow.hosting.managing.CertificateVersion;
import io.certflow.hosting.managing.DeploymentOutcome;
import io.certflow.hosting.managing.ExpiryAlert;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.Pause;
import io.certflow.hosting.managing.RenewalAttempt;
import io.certflow.hosting.managing.RenewalWindow;
import io.certflow.hosting.managing.VerificationWarning;

import java.time.Instant;
import java.util.List;

/**
 * One managed certificate as the API shows it (docs/api.md), with its whole history.
 *
 * @param certificateId    the stable id across renewals
 * @param accountId        the owning account
 * @param orderId          the order it belongs to
 * @param domains          the names it covers
 * @param status           {@code PENDING_ISSUANCE|ISSUANCE_FAILED|HOSTED|ISSUED|RENEWING|RENEWAL_FAILED|EXPIRING|EXPIRED|PAUSED|CANCELLED}
 * @param hosting          whether certflow renews it
 * @param paused           the owner's pause of hosting, or absent
 * @param termEndsAt       end of the paid term
 * @param serialNumber     the live version's serial
 * @param notBefore        the live version's validity start
 * @param notAfter         the live version's validity end
 * @param expiry           {@code VALID|EXPIRING|EXPIRED}: how close the live version is to its end
 * @param nextRenewalAt    when it is renewed (or retried) next; null when no renewal is planned
 * @param renewalPlan      why {@code nextRenewalAt} is what it is, check by check (or why there is none)
 * @param renewalWindow    the renewal window the CA suggests for the live version (RFC 9773 ARI), or absent
 * @param lastFailure      why the last issuance or renewal failed, until the next success
 * @param lastFailureAt    when it failed
 * @param failedRenewals   consecutive failed renewals
 * @param renewalEventId   the {@code RenewalDue} of the renewal in progress
 * @param renewalStartedAt when the renewal in progress started
 * @param versions         every issued version, oldest first
 * @param attempts         the renewal attempts, oldest first (the last 50)
 * @param attemptCount     how many renewals were ever started
 * @param deployments      the deployment jobs reported, oldest first (the last 20)
 * @param lastDeployment   the latest of them
 * @param lastAlert        the last expiry alert ({@code CertificateExpiring}) raised, or absent
 * @param verificationWarnings domains verification-service found no longer verified ({@code DomainVerificationLost}),
 *                         shown until an issuance after the finding; empty when all are fine
 * @param createdAt        when hosting first heard of it
 * @param updatedAt        its last change
 */
public record CertificateView(String certificateId, String accountId, String orderId, List<String> domains,
                              String status, boolean hosting, Pause paused, Instant termEndsAt, String serialNumber,
                              Instant notBefore, Instant notAfter, String expiry, Instant nextRenewalAt,
                              List<String> renewalPlan, RenewalWindow renewalWindow, String lastFailure,
                              Instant lastFailureAt, int failedRenewals, String renewalEventId,
                              Instant renewalStartedAt, List<CertificateVersion> versions,
                              List<RenewalAttempt> attempts, int attemptCount, List<DeploymentOutcome> deployments,
                              DeploymentOutcome lastDeployment, ExpiryAlert lastAlert,
                              List<VerificationWarning> verificationWarnings, Instant createdAt, Instant updatedAt) {

    static CertificateView of(ManagedCertificate c) {
        return new CertificateView(c.getId(), c.getAccountId(), c.getOrderId(), c.getDomains(), c.getStatus().name(),
                c.isHosting(), c.getPause(), c.getTermEndsAt(), c.getSerialNumber(), c.getNotBefore(), c.getNotAfter(),
                c.getExpiry().name(), c.getNextRenewalAt(), c.getRenewalPlan(), c.getRenewalWindow(), c.getLastFailure(),
                c.getLastFailureAt(), c.getFailedRenewals(), c.getPendingRenewalEventId(), c.getRenewalStartedAt(),
                c.getVersions(), c.getAttempts(), c.getAttemptCount(), c.getDeployments(), c.getLastDeployment(),
                c.getLastAlert(), c.getVerificationWarnings(), c.getCreatedAt(), c.getUpdatedAt());
    }
}
