package io.certflow.hosting.managing;

import io.certflow.events.CertificateEvent;
import io.certflow.events.v1.CertificateExpiring;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.hosting.alerting.ExpiryAlertIds;
import io.certflow.hosting.alerting.ExpiryAlertPolicy;
import io.certflow.hosting.alerting.ExpiryDecision;
import io.certflow.hosting.alerting.ExpiryFacts;
import io.certflow.hosting.renewal.RenewalIds;
import io.certflow.hosting.renewal.RenewalPolicy;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A managed certificate: the stable {@code certificateId} that lives across renewals, its live
 * version and history, and when it is renewed next. Every change is one document write, together
 * with the {@link RenewalDue} it raises, and is applied from events that may arrive in any order
 * across topics (an issuance before its request, a cancellation before either). It also remembers when
 * its live version was due for renewal and the last expiry alert it raised, so that the expiry watch
 * finds it by {@code alertCheckAt} (indexed) and never raises the same {@link CertificateExpiring} twice.
 * Where the CA suggests a renewal window (RFC 9773 ARI), the renewal is planned inside it, and moved when
 * the CA moves it.
 */
@Document("certificates")
@CompoundIndex(name = "due", def = "{'status': 1, 'nextRenewalAt': 1}")
@CompoundIndex(name = "account", def = "{'accountId': 1, 'createdAt': -1}")
@CompoundIndex(name = "renewing", def = "{'status': 1, 'renewalStartedAt': 1}")
public class ManagedCertificate extends Aggregate {

    private String orderId;
    private List<String> domains = new ArrayList<>();
    /** Whether hosting renews it; null until the request is seen (then treated as yes). */
    private Boolean hosting;
    private Instant termEndsAt;
    private CertificateStatus status;
    private String serialNumber;
    private Instant notBefore;
    private Instant notAfter;
    private Instant nextRenewalAt;
    /** The CA's renewal window (RFC 9773) of the live version, or of a version not yet heard of; null: none. */
    private RenewalWindow renewalWindow;
    private List<CertificateVersion> versions = new ArrayList<>();
    private LastDeployment lastDeployment;
    private String lastFailure;
    private Instant lastFailureAt;
    private int failedRenewals;
    private String pendingRenewalEventId;
    private Instant renewalStartedAt;
    /** When the live version was first due for renewal (kept while retries move {@code nextRenewalAt}). */
    private Instant renewalDueAt;
    /** When the expiry watch looks at it next; null when no alert can come until it changes. */
    @Indexed(name = "alert-check", sparse = true)
    private Instant alertCheckAt;
    private ExpiryAlert lastAlert;
    private List<VerificationWarning> verificationWarnings = new ArrayList<>();
    private Instant createdAt;
    private Instant updatedAt;

    /** For Spring Data. */
    protected ManagedCertificate() {
    }

    private ManagedCertificate(String certificateId, String accountId) {
        super(certificateId, accountId);
    }

    /** Starts tracking a certificate that was just heard of, before anything is known about it. */
    public static ManagedCertificate track(String certificateId, String accountId, Instant now) {
        ManagedCertificate certificate = new ManagedCertificate(certificateId, accountId);
        certificate.status = CertificateStatus.PENDING_ISSUANCE;
        certificate.createdAt = now;
        certificate.updatedAt = now;
        return certificate;
    }

    /** Whether {@code event} belongs to this certificate's account. */
    public boolean belongsTo(CertificateEvent event) {
        return getAccountId().equals(event.accountId());
    }

    /** The order's terms: names, term end and whether to renew. The status does not change. */
    public void requested(CertificateRequested event, RenewalPolicy policy, Instant now) {
        orderId = event.orderId();
        domains = new ArrayList<>(event.domains());
        hosting = event.hosting();
        termEndsAt = event.termEndsAt();
        if (status == CertificateStatus.HOSTED) {
            nextRenewalAt = keptOrScheduledRenewal(policy, now);
            renewalDueAt = nextRenewalAt;
        }
        if (status != CertificateStatus.CANCELLED && serialNumber != null) {
            alertCheckAt = now;
        }
        updatedAt = now;
    }

    /**
     * A version was issued: it becomes the live one (unless an even later one is live) and the next
     * renewal is scheduled. A serial already known changes nothing.
     */
    public void issued(CertificateIssued event, RenewalPolicy policy, Instant now) {
        if (hasVersion(event.serialNumber())) {
            return;
        }
        warnings().removeIf(w -> !w.checkedAt().isAfter(event.occurredAt())); // the CA saw control again
        versions.add(new CertificateVersion(event.serialNumber(), event.notBefore(), event.notAfter(),
                event.occurredAt(), event.fingerprintSha256()));
        if (domains.isEmpty()) {
            domains = new ArrayList<>(event.domains());
        }
        if (notAfter == null || !event.notAfter().isBefore(notAfter)) {
            serialNumber = event.serialNumber();
            notBefore = event.notBefore();
            notAfter = event.notAfter();
            RenewalWindow reported = event.hasRenewalWindow() ? new RenewalWindow(event.serialNumber(),
                    event.renewalWindowStart(), event.renewalWindowEnd(), event.renewalExplanationUrl(),
                    event.occurredAt()) : null;
            if (renewalWindow == null || !renewalWindow.serialNumber().equals(serialNumber)
                    || reported != null && reported.newerThan(renewalWindow)) {
                renewalWindow = reported; // a change reported before this issuance is kept when it is newer
            }
        }
        if (status != CertificateStatus.CANCELLED) {
            status = CertificateStatus.HOSTED;
            failedRenewals = 0;
            lastFailure = null;
            lastFailureAt = null;
            pendingRenewalEventId = null;
            renewalStartedAt = null;
            nextRenewalAt = scheduledRenewal(policy, now);
            renewalDueAt = nextRenewalAt;
            alertCheckAt = now;
        }
        updatedAt = now;
    }

    /**
     * The CA moved the renewal window of a version. For the live version of a hosted certificate the
     * renewal is planned again inside the new window (earlier, too: a CA that plans to revoke moves the
     * window into the next hours, or into the past, which means now). A window of a version not heard of yet
     * is kept for when its {@code CertificateIssued} arrives; one of an older version, or read before the
     * window already known, changes nothing.
     *
     * @return whether the renewal was planned again
     */
    public boolean renewalWindowChanged(RenewalWindowChanged event, RenewalPolicy policy, Instant now) {
        RenewalWindow reported = new RenewalWindow(event.serialNumber(), event.windowStart(), event.windowEnd(),
                event.explanationUrl(), event.fetchedAt());
        boolean live = event.serialNumber().equals(serialNumber);
        if (!live && hasVersion(event.serialNumber()) || !reported.newerThan(renewalWindow)
                || renewalWindow != null && !live && renewalWindow.serialNumber().equals(serialNumber)) {
            return false;
        }
        renewalWindow = reported;
        updatedAt = now;
        if (!live || status != CertificateStatus.HOSTED) {
            return false;
        }
        nextRenewalAt = scheduledRenewal(policy, now);
        renewalDueAt = nextRenewalAt;
        alertCheckAt = now;
        return true;
    }

    /**
     * An issuance attempt failed. A failed renewal is tried again after a growing wait; a failed first
     * issuance is only recorded (issuance-service owns those retries).
     */
    public void issuanceFailed(IssuanceFailed event, RenewalPolicy policy, Instant now) {
        if (status == CertificateStatus.RENEWING) {
            failedRenewals++;
            status = CertificateStatus.RENEWAL_FAILED;
            pendingRenewalEventId = null;
            renewalStartedAt = null;
            nextRenewalAt = policy.retryAt(now, failedRenewals, termEndsAt);
        } else if (status != CertificateStatus.PENDING_ISSUANCE) {
            return;
        }
        lastFailure = event.reason();
        lastFailureAt = now;
        updatedAt = now;
    }

    /** A deployment job finished; the latest one is shown. */
    /**
     * A domain of this certificate is no longer verified (its CNAME removed or changed, its DNS credential
     * failing): shown with the reason until an issuance after it, so that the owner acts before the renewal.
     */
    public void verificationLost(DomainVerificationLost event, Instant now) {
        warnings().removeIf(w -> w.domain().equals(event.domain()));
        warnings().add(new VerificationWarning(event.domain(), event.method(), event.result(), event.reason(),
                event.checkedAt()));
        updatedAt = now;
    }

    public void deployed(DeploymentCompleted event, Instant now) {
        if (lastDeployment != null && lastDeployment.at().isAfter(event.occurredAt())) {
            return;
        }
        lastDeployment = new LastDeployment(event.jobId(), event.taskId(), event.serialNumber(), event.trigger(),
                event.succeeded(), event.occurredAt());
        updatedAt = now;
    }

    /**
     * A version was revoked. A revoked live version is replaced at once: the certificate becomes
     * {@code RENEWING} and raises {@link RenewalDue} (not manual, reason {@code revoked: <reason>}, id
     * {@link RenewalIds#revoked}) in the same write. A revocation of an older serial, of a certificate
     * that is cancelled, not hosted, past its term or already renewing changes nothing.
     *
     * @return the renewal raised, or null
     */
    public RenewalDue revoked(CertificateRevoked event, Instant now) {
        if (serialNumber == null || !serialNumber.equals(event.serialNumber())) {
            return null;
        }
        if (status != CertificateStatus.HOSTED && status != CertificateStatus.RENEWAL_FAILED) {
            return null;
        }
        if (Boolean.FALSE.equals(hosting) || (termEndsAt != null && !now.isBefore(termEndsAt))) {
            return null;
        }
        return raiseRenewal(RenewalIds.revoked(getId(), serialNumber), now, false, now, "revoked: " + event.reason());
    }

    /**
     * A renewal started at least {@code timeout} ago has had no answer: it counts as failed, and is tried
     * again after the backoff (with a new renewal id). Does nothing if the certificate is not renewing or
     * the renewal is younger.
     *
     * @return whether the renewal was given up
     */
    public boolean renewalTimedOut(Duration timeout, RenewalPolicy policy, Instant now) {
        if (status != CertificateStatus.RENEWING || renewalStartedAt == null
                || renewalStartedAt.plus(timeout).isAfter(now)) {
            return false;
        }
        failedRenewals++;
        status = CertificateStatus.RENEWAL_FAILED;
        lastFailure = "no answer from issuance to renewal " + pendingRenewalEventId + " within " + readable(timeout);
        lastFailureAt = now;
        pendingRenewalEventId = null;
        renewalStartedAt = null;
        nextRenewalAt = policy.retryAt(now, failedRenewals, termEndsAt);
        updatedAt = now;
        return true;
    }

    /** The order was cancelled: nothing is renewed any more. */
    public void cancelled(OrderCancelled event, Instant now) {
        if (orderId == null) {
            orderId = event.orderId();
        }
        status = CertificateStatus.CANCELLED;
        nextRenewalAt = null;
        alertCheckAt = null;
        pendingRenewalEventId = null;
        renewalStartedAt = null;
        updatedAt = now;
    }

    /**
     * Starts a renewal: the certificate is {@code RENEWING} and {@link RenewalDue} is raised in the same
     * write, with an id derived from the certificate, its serial, and the retry count.
     *
     * @throws NotRenewableException if it is not issued, cancelled, not hosted, or its term ended
     */
    public RenewalDue startRenewal(Instant now, boolean manual, String reason) {
        switch (status) {
            case PENDING_ISSUANCE -> throw new NotRenewableException("Certificate " + getId()
                    + " has not been issued yet; there is nothing to renew.");
            case CANCELLED -> throw new NotRenewableException("Certificate " + getId()
                    + " belongs to a cancelled order and is not renewed any more.");
            case RENEWING -> throw new NotRenewableException("Certificate " + getId() + " is being renewed already.");
            default -> {
            }
        }
        if (Boolean.FALSE.equals(hosting)) {
            throw new NotRenewableException("Certificate " + getId() + " was ordered without hosting; certflow does not renew it.");
        }
        if (termEndsAt != null && !now.isBefore(termEndsAt)) {
            throw new NotRenewableException("The paid term of certificate " + getId() + " ended at " + termEndsAt + ".");
        }
        UUID eventId = RenewalIds.of(getId(), serialNumber, manual, failedRenewals);
        Instant dueAt = manual || nextRenewalAt == null ? now : nextRenewalAt;
        return raiseRenewal(eventId, now, manual, dueAt, reason);
    }

    private RenewalDue raiseRenewal(UUID eventId, Instant now, boolean manual, Instant dueAt, String reason) {
        RenewalDue due = new RenewalDue(eventId, now, getAccountId(), getId(), serialNumber, dueAt, reason, manual);
        status = CertificateStatus.RENEWING;
        pendingRenewalEventId = eventId.toString();
        renewalStartedAt = now;
        nextRenewalAt = null;
        updatedAt = now;
        raise(due);
        return due;
    }

    /**
     * The expiry watch looks at this certificate: if {@code policy} says an alert is due, it is raised as
     * {@link CertificateExpiring} (id from {@link ExpiryAlertIds}) and remembered as {@code lastAlert} in the
     * same write; either way the next look is moved to when the policy says.
     *
     * @return the alert raised, or null
     */
    public CertificateExpiring checkExpiry(ExpiryAlertPolicy policy, Instant now) {
        ExpiryDecision decision = policy.decide(new ExpiryFacts(status, isHosting(), serialNumber, notAfter, termEndsAt,
                renewalDueAt, renewalStartedAt, lastFailure, failedRenewals, nextRenewalAt, lastAlert), now);
        alertCheckAt = decision.nextCheckAt();
        if (!decision.alert()) {
            return null;
        }
        UUID eventId = ExpiryAlertIds.of(getId(), serialNumber, decision.kind(), now);
        CertificateExpiring alert = new CertificateExpiring(eventId, now, getAccountId(), getId(), serialNumber,
                notAfter, decision.daysLeft(), decision.reason());
        lastAlert = new ExpiryAlert(decision.kind(), serialNumber, decision.daysLeft(), decision.reason(), eventId.toString(), now);
        updatedAt = now;
        raise(alert);
        return alert;
    }

    /** Why a scheduled renewal starts now, for people. */
    public String scheduledRenewalReason(RenewalPolicy policy) {
        if (status == CertificateStatus.RENEWAL_FAILED) {
            return "retry " + failedRenewals + " after a failed renewal: " + lastFailure;
        }
        RenewalWindow window = liveWindow();
        return window == null ? policy.dueReason()
                : policy.windowReason(window.start(), window.end(), window.explanationUrl());
    }

    private Instant scheduledRenewal(RenewalPolicy policy, Instant now) {
        if (Boolean.FALSE.equals(hosting) || notBefore == null) {
            return null;
        }
        RenewalWindow window = liveWindow();
        return window == null ? policy.nextRenewalAt(notBefore, notAfter, termEndsAt)
                : policy.nextRenewalInWindow(window.start(), window.end(), termEndsAt, now);
    }

    /** The planned renewal when it still lies inside the live window and the term, else a new plan. */
    private Instant keptOrScheduledRenewal(RenewalPolicy policy, Instant now) {
        RenewalWindow window = liveWindow();
        if (window != null && nextRenewalAt != null && !Boolean.FALSE.equals(hosting)
                && !nextRenewalAt.isBefore(window.start()) && nextRenewalAt.isBefore(window.end())
                && (termEndsAt == null || nextRenewalAt.isBefore(termEndsAt))) {
            return nextRenewalAt;
        }
        return scheduledRenewal(policy, now);
    }

    /** The CA's window of the live version, or null. */
    private RenewalWindow liveWindow() {
        return renewalWindow != null && renewalWindow.serialNumber().equals(serialNumber) ? renewalWindow : null;
    }

    private static String readable(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private boolean hasVersion(String serial) {
        return versions.stream().anyMatch(v -> v.serialNumber().equals(serial));
    }

    public String getOrderId() {
        return orderId;
    }

    public List<String> getDomains() {
        return Collections.unmodifiableList(domains);
    }

    /** Whether hosting renews it (true until the request says otherwise). */
    public boolean isHosting() {
        return !Boolean.FALSE.equals(hosting);
    }

    public Instant getTermEndsAt() {
        return termEndsAt;
    }

    public CertificateStatus getStatus() {
        return status;
    }

    public String getSerialNumber() {
        return serialNumber;
    }

    public Instant getNotBefore() {
        return notBefore;
    }

    public Instant getNotAfter() {
        return notAfter;
    }

    public Instant getNextRenewalAt() {
        return nextRenewalAt;
    }

    /** The CA's renewal window of the live version (RFC 9773 ARI), or null when the CA suggests none. */
    public RenewalWindow getRenewalWindow() {
        return liveWindow();
    }

    public List<CertificateVersion> getVersions() {
        return Collections.unmodifiableList(versions);
    }

    public LastDeployment getLastDeployment() {
        return lastDeployment;
    }

    public String getLastFailure() {
        return lastFailure;
    }

    public Instant getLastFailureAt() {
        return lastFailureAt;
    }

    public int getFailedRenewals() {
        return failedRenewals;
    }

    /** The id of the {@link RenewalDue} of the renewal in progress, or null. */
    public String getPendingRenewalEventId() {
        return pendingRenewalEventId;
    }

    public Instant getRenewalStartedAt() {
        return renewalStartedAt;
    }

    /** When the live version was first due for renewal, or null when none is planned. */
    public Instant getRenewalDueAt() {
        return renewalDueAt;
    }

    /** When the expiry watch looks at it next, or null. */
    public Instant getAlertCheckAt() {
        return alertCheckAt;
    }

    /** The last expiry alert raised, or null. */
    public ExpiryAlert getLastAlert() {
        return lastAlert;
    }

    /** Domains no longer verified, newest check last; empty when all are fine. */
    public List<VerificationWarning> getVerificationWarnings() {
        return List.copyOf(warnings());
    }

    private List<VerificationWarning> warnings() {
        if (verificationWarnings == null) {
            verificationWarnings = new ArrayList<>();
        }
        return verificationWarnings;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
