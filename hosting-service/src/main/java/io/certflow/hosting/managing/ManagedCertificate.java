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
import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.hosting.renewal.Readable;
import io.certflow.hosting.renewal.RenewalFacts;
import io.certflow.hosting.renewal.RenewalIds;
import io.certflow.hosting.renewal.RenewalPlan;
import io.certflow.hosting.renewal.RenewalPlanner;
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
 * A managed certificate: the stable {@code certificateId} that lives across renewals, its live version,
 * its history (every version, renewal attempt and deployment) and when it is renewed next. Every change is
 * one document write, together with the events it raises ({@link RenewalDue}, {@link CertificateExpiring}),
 * and is applied from events that may arrive in any order across topics (an issuance before its request, a
 * cancellation before either). The next renewal is planned by {@link RenewalPlanner} with its reasons; the
 * status people see is derived from the facts after every change ({@link #refreshStatus}).
 *
 * <p>Indexes follow the jobs that scan: {@code nextRenewalAt} (sparse: only certificates with a renewal
 * planned) for the renewal scheduler, {@code renewalStartedAt} (sparse: only renewals in flight) for
 * unanswered renewals, {@code alertCheckAt} (sparse) for the expiry watch, {@code status} with {@code notAfter}
 * for the operators' lists and the fleet gauges' counts, and the account's listing.
 */
@Document("certificates")
@CompoundIndex(name = "account", def = "{'accountId': 1, 'createdAt': -1}")
@CompoundIndex(name = "account-status", def = "{'accountId': 1, 'status': 1, 'createdAt': -1}")
@CompoundIndex(name = "account-expiry", def = "{'accountId': 1, 'notAfter': 1}")
@CompoundIndex(name = "status-expiry", def = "{'status': 1, 'notAfter': 1}")
public class ManagedCertificate extends Aggregate {

    /** Renewal attempts kept in the document; older ones are dropped first (the count stays). */
    static final int ATTEMPTS_KEPT = 50;
    /** Deployments kept in the document. */
    static final int DEPLOYMENTS_KEPT = 20;
    /** Versions kept in the document. */
    static final int VERSIONS_KEPT = 100;

    private String orderId;
    private List<String> domains = new ArrayList<>();
    /** Whether hosting renews it; null until the request is seen (then treated as yes). */
    private Boolean hosting;
    private Instant termEndsAt;
    private boolean cancelled;
    private Pause pause;
    /** Derived from the facts by {@link #refreshStatus}; stored so that lists filter and count by it. */
    private CertificateStatus status;
    private String serialNumber;
    private Instant notBefore;
    private Instant notAfter;
    @Indexed(name = "due", sparse = true)
    private Instant nextRenewalAt;
    /** Why {@code nextRenewalAt} is what it is (or why there is none), check by check. */
    private List<String> renewalPlan = new ArrayList<>();
    /** The CA's renewal window (RFC 9773) of the live version, or of a version not yet heard of; null: none. */
    private RenewalWindow renewalWindow;
    private List<CertificateVersion> versions = new ArrayList<>();
    private List<DeploymentOutcome> deployments = new ArrayList<>();
    private List<RenewalAttempt> attempts = new ArrayList<>();
    private int attemptCount;
    private String lastFailure;
    private Instant lastFailureAt;
    /** Whether the last failure of a first issuance is final (issuance-service does not retry it). */
    private boolean lastFailureFinal;
    private int failedRenewals;
    private String pendingRenewalEventId;
    @Indexed(name = "renewing", sparse = true)
    private Instant renewalStartedAt;
    /** When the live version was first due for renewal (kept while retries move {@code nextRenewalAt}). */
    private Instant renewalDueAt;
    /** When the expiry watch looks at it next; null when nothing can change until an event does. */
    @Indexed(name = "alert-check", sparse = true)
    private Instant alertCheckAt;
    private ExpiryAlert lastAlert;
    private ExpiryState expiry = ExpiryState.VALID;
    /** The renewal scheduler instance that claimed it, until {@code claimedUntil}; see {@code RenewalScheduler}. */
    private String claimedBy;
    private String claimToken;
    private Instant claimedUntil;
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
        certificate.renewalPlan = new ArrayList<>(List.of("not issued yet"));
        certificate.createdAt = now;
        certificate.updatedAt = now;
        return certificate;
    }

    /** Whether {@code event} belongs to this certificate's account. */
    public boolean belongsTo(CertificateEvent event) {
        return getAccountId().equals(event.accountId());
    }

    /** The order's terms: names, term end and whether to renew; the renewal is planned again under them. */
    public void requested(CertificateRequested event, RenewalPlanner planner, Instant now) {
        orderId = event.orderId();
        domains = new ArrayList<>(event.domains());
        hosting = event.hosting();
        termEndsAt = event.termEndsAt();
        if (renewalIdle()) {
            plan(planner, now, true);
        }
        watchExpirySoon(now);
        changed(now);
    }

    /**
     * A version was issued: it becomes the live one (unless an even later one is live), the renewal in
     * flight ends, and the next renewal is planned. A serial already known changes nothing.
     */
    public void issued(CertificateIssued event, RenewalPlanner planner, Instant now) {
        if (hasVersion(event.serialNumber())) {
            return;
        }
        warnings().removeIf(w -> !w.checkedAt().isAfter(event.occurredAt())); // the CA saw control again
        versions.add(new CertificateVersion(event.serialNumber(), event.notBefore(), event.notAfter(),
                event.occurredAt(), event.fingerprintSha256()));
        trim(versions, VERSIONS_KEPT);
        if (domains.isEmpty()) {
            domains = new ArrayList<>(event.domains());
        }
        if (notAfter != null && event.notAfter().isBefore(notAfter)) {
            changed(now); // an older version reported late: history only, the live one stays
            return;
        }
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
        endAttempt(RenewalAttempt.Outcome.ISSUED, serialNumber, null, now);
        failedRenewals = 0;
        lastFailure = null;
        lastFailureAt = null;
        lastFailureFinal = false;
        pendingRenewalEventId = null;
        renewalStartedAt = null;
        expiry = ExpiryState.VALID;
        if (!cancelled) {
            plan(planner, now, true);
        }
        watchExpirySoon(now);
        changed(now);
    }

    /**
     * The CA moved the renewal window of a version. For the live version the renewal is planned again inside
     * the new window (earlier, too: a CA that plans to revoke moves the window into the next hours, or into
     * the past, which means now). A window of a version not heard of yet is kept for when its
     * {@code CertificateIssued} arrives; one of an older version, or read before the window already known,
     * changes nothing.
     *
     * @return whether the renewal was planned again
     */
    public boolean renewalWindowChanged(RenewalWindowChanged event, RenewalPlanner planner, Instant now) {
        RenewalWindow reported = new RenewalWindow(event.serialNumber(), event.windowStart(), event.windowEnd(),
                event.explanationUrl(), event.fetchedAt());
        boolean live = event.serialNumber().equals(serialNumber);
        if (!live && hasVersion(event.serialNumber()) || !reported.newerThan(renewalWindow)
                || renewalWindow != null && !live && renewalWindow.serialNumber().equals(serialNumber)) {
            return false;
        }
        renewalWindow = reported;
        changed(now);
        if (!live || !renewalIdle() || failedRenewals > 0) {
            return false;
        }
        plan(planner, now, true);
        watchExpirySoon(now);
        changed(now);
        return true;
    }

    /**
     * An issuance attempt failed. A failed renewal is tried again after a growing wait; a failed first
     * issuance is only recorded (issuance-service owns those retries), and shown as final when it says so.
     */
    public void issuanceFailed(IssuanceFailed event, RenewalPlanner planner, Instant now) {
        if (pendingRenewalEventId != null) {
            endAttempt(RenewalAttempt.Outcome.FAILED, null, event.reason(), now);
            failedRenewals++;
            pendingRenewalEventId = null;
            renewalStartedAt = null;
            lastFailure = event.reason();
            lastFailureAt = now;
            plan(planner, now, false);
            watchExpirySoon(now);
        } else if (serialNumber == null && !cancelled) {
            lastFailure = event.reason();
            lastFailureAt = now;
            lastFailureFinal = !event.retryable();
        } else {
            return;
        }
        changed(now);
    }

    /**
     * A domain of this certificate is no longer verified (its CNAME removed or changed, its DNS credential
     * failing): shown with the reason until an issuance after it, so that the owner acts before the renewal.
     */
    public void verificationLost(DomainVerificationLost event, Instant now) {
        warnings().removeIf(w -> w.domain().equals(event.domain()));
        warnings().add(new VerificationWarning(event.domain(), event.method(), event.result(), event.reason(),
                event.checkedAt()));
        changed(now);
    }

    /** A deployment job finished: kept in the history, newest last (a late report of an older job is placed by time). */
    public void deployed(DeploymentCompleted event, Instant now) {
        if (deployments().stream().anyMatch(d -> d.jobId().equals(event.jobId()) && !d.at().isBefore(event.occurredAt()))) {
            return;
        }
        deployments().removeIf(d -> d.jobId().equals(event.jobId()));
        deployments().add(new DeploymentOutcome(event.jobId(), event.taskId(), event.serialNumber(), event.trigger(),
                event.succeeded(), event.occurredAt()));
        deployments().sort(java.util.Comparator.comparing(DeploymentOutcome::at));
        trim(deployments(), DEPLOYMENTS_KEPT);
        changed(now);
    }

    /**
     * A version was revoked. A revoked live version is replaced at once: a renewal starts and raises
     * {@link RenewalDue} (trigger {@code REVOKED}, id {@link RenewalIds#revoked}) in the same write, past any
     * backoff or maintenance window. A revocation of an older serial, or of a certificate that is cancelled,
     * paused, not hosted, past its term or already renewing changes nothing.
     *
     * @return the renewal raised, or null
     */
    public RenewalDue revoked(CertificateRevoked event, Instant now) {
        if (cancelled || serialNumber == null || !serialNumber.equals(event.serialNumber()) || !renewalIdle() || pause != null
                || !isHosting() || (termEndsAt != null && !now.isBefore(termEndsAt))) {
            return null;
        }
        return raiseRenewal(RenewalIds.revoked(getId(), serialNumber), now, RenewalTrigger.REVOKED, now,
                "revoked: " + event.reason());
    }

    /**
     * A renewal started at least {@code timeout} ago has had no answer: it counts as failed, and is tried
     * again after the backoff (with a new renewal id). Does nothing if no renewal is in flight or it is younger.
     *
     * @return whether the renewal was given up
     */
    public boolean renewalTimedOut(Duration timeout, RenewalPlanner planner, Instant now) {
        if (pendingRenewalEventId == null || renewalStartedAt == null || renewalStartedAt.plus(timeout).isAfter(now)) {
            return false;
        }
        String failure = "no answer from issuance to renewal " + pendingRenewalEventId + " within "
                + Readable.duration(timeout);
        endAttempt(RenewalAttempt.Outcome.TIMED_OUT, null, failure, now);
        failedRenewals++;
        lastFailure = failure;
        lastFailureAt = now;
        pendingRenewalEventId = null;
        renewalStartedAt = null;
        plan(planner, now, false);
        watchExpirySoon(now);
        changed(now);
        return true;
    }

    /** The order was cancelled: nothing is renewed any more; a renewal in flight is abandoned. */
    public void cancelled(OrderCancelled event, Instant now) {
        if (orderId == null) {
            orderId = event.orderId();
        }
        endAttempt(RenewalAttempt.Outcome.ABANDONED, null, "order cancelled", now);
        cancelled = true;
        nextRenewalAt = null;
        renewalPlan = new ArrayList<>(List.of("the order was cancelled"));
        alertCheckAt = null;
        pendingRenewalEventId = null;
        renewalStartedAt = null;
        releaseClaim();
        changed(now);
    }

    /**
     * Its owner pauses hosting: nothing is renewed (and no expiry alert raised, as none is promised) until
     * {@link #resume}. A renewal already in flight runs to its end; its new version is kept but not renewed.
     *
     * @throws NotRenewableException if the order was cancelled or it is ordered without hosting
     */
    public void pause(String reason, Instant now) {
        if (cancelled) {
            throw new NotRenewableException("Certificate " + getId() + " belongs to a cancelled order; there is nothing to pause.");
        }
        if (!isHosting()) {
            throw new NotRenewableException("Certificate " + getId() + " was ordered without hosting; there is nothing to pause.");
        }
        if (pause == null) {
            pause = new Pause(now, reason);
            nextRenewalAt = null;
            renewalPlan = new ArrayList<>(List.of("hosting is paused: nothing is renewed until it is resumed"));
            releaseClaim();
            watchExpirySoon(now);
            changed(now);
        }
    }

    /** Hosting resumes: the next renewal is planned again (at once when it is overdue). */
    public void resume(RenewalPlanner planner, Instant now) {
        if (cancelled) {
            throw new NotRenewableException("Certificate " + getId() + " belongs to a cancelled order and is not renewed any more.");
        }
        if (pause != null) {
            pause = null;
            if (renewalIdle()) {
                plan(planner, now, failedRenewals == 0);
            }
            watchExpirySoon(now);
            changed(now);
        }
    }

    /**
     * Starts a renewal: a {@link RenewalAttempt} is recorded and {@link RenewalDue} raised in the same write,
     * with an id derived from the certificate, its serial, and the retry count, so that duplicates collapse
     * downstream. A manual renewal waits for no backoff and no maintenance window.
     *
     * @throws NotRenewableException if it is not issued, cancelled, not hosted, renewing already, or its term ended
     */
    public RenewalDue startRenewal(Instant now, RenewalTrigger trigger, String reason) {
        if (cancelled) {
            throw new NotRenewableException("Certificate " + getId() + " belongs to a cancelled order and is not renewed any more.");
        }
        if (serialNumber == null) {
            throw new NotRenewableException("Certificate " + getId() + " has not been issued yet; there is nothing to renew.");
        }
        if (pendingRenewalEventId != null) {
            throw new NotRenewableException("Certificate " + getId() + " is being renewed already.");
        }
        if (!isHosting()) {
            throw new NotRenewableException("Certificate " + getId() + " was ordered without hosting; certflow does not renew it.");
        }
        if (termEndsAt != null && !now.isBefore(termEndsAt)) {
            throw new NotRenewableException("The paid term of certificate " + getId() + " ended at " + termEndsAt + ".");
        }
        boolean manual = trigger == RenewalTrigger.MANUAL;
        UUID eventId = RenewalIds.of(getId(), serialNumber, manual, failedRenewals);
        Instant dueAt = manual || nextRenewalAt == null ? now : nextRenewalAt;
        return raiseRenewal(eventId, now, trigger, dueAt, reason);
    }

    /**
     * Right before a scheduled renewal starts, the account's maintenance windows as they are now (they may
     * have changed since the renewal was planned): inside one, the start moves to its end, unless the
     * certificate would expire first.
     *
     * @return whether the renewal was moved
     */
    public boolean deferForMaintenance(MaintenanceWindows windows, Instant now) {
        MaintenanceWindows.Outcome allowed = windows.firstAllowed(now);
        if (!allowed.moved() || notAfter == null || !allowed.at().isBefore(notAfter)) {
            return false;
        }
        nextRenewalAt = allowed.at();
        renewalPlan.add("moved out of the maintenance window " + allowed.window().describe() + " to " + nextRenewalAt);
        releaseClaim();
        changed(now);
        return true;
    }

    /**
     * A planned renewal turned out not to be possible when it came (its paid term ended meanwhile): nothing is
     * planned any more, for {@code reason}, so the scheduler does not find it again and again.
     */
    public void renewalNotPossible(String reason, Instant now) {
        nextRenewalAt = null;
        renewalPlan = new ArrayList<>(List.of(reason));
        releaseClaim();
        changed(now);
    }

    private RenewalDue raiseRenewal(UUID eventId, Instant now, RenewalTrigger trigger, Instant dueAt, String reason) {
        RenewalDue due = new RenewalDue(eventId, now, getAccountId(), getId(), serialNumber, dueAt, reason,
                trigger == RenewalTrigger.MANUAL);
        attempts().add(RenewalAttempt.started(eventId.toString(), trigger, reason, serialNumber, now));
        trim(attempts(), ATTEMPTS_KEPT);
        attemptCount++;
        pendingRenewalEventId = eventId.toString();
        renewalStartedAt = now;
        nextRenewalAt = null;
        releaseClaim();
        changed(now);
        raise(due);
        return due;
    }

    /**
     * The expiry watch looks at this certificate: the expiry state is brought up to date, and if
     * {@code policy} says an alert is due, it is raised as {@link CertificateExpiring} (id from
     * {@link ExpiryAlertIds}) and remembered as {@code lastAlert} in the same write; either way the next look
     * is moved to when the policy says.
     *
     * @return the alert raised, or null
     */
    public CertificateExpiring checkExpiry(ExpiryAlertPolicy policy, Instant now) {
        ExpiryDecision decision = policy.decide(new ExpiryFacts(cancelled, isHosting(), pause != null, serialNumber,
                notBefore, notAfter, termEndsAt, renewalDueAt, renewalStartedAt, lastFailure, failedRenewals,
                nextRenewalAt, lastAlert), now);
        alertCheckAt = decision.nextCheckAt();
        ExpiryState previous = expiry;
        expiry = decision.expiry();
        if (expiry != previous) {
            changed(now);
        }
        if (!decision.alert()) {
            return null;
        }
        UUID eventId = ExpiryAlertIds.of(getId(), serialNumber, decision.kind(), now);
        CertificateExpiring alert = new CertificateExpiring(eventId, now, getAccountId(), getId(), serialNumber,
                notAfter, decision.daysLeft(), decision.reason());
        lastAlert = new ExpiryAlert(decision.kind(), serialNumber, decision.daysLeft(), decision.reason(), eventId.toString(), now);
        changed(now);
        raise(alert);
        return alert;
    }

    /** Why the planned renewal starts, for people (the plan's reasons in one line). */
    public String scheduledRenewalReason() {
        return renewalPlan == null || renewalPlan.isEmpty() ? "renewal planned" : String.join("; ", renewalPlan);
    }

    /** The facts the renewal policy plans from. */
    public RenewalFacts renewalFacts() {
        return new RenewalFacts(getId(), serialNumber, notBefore, notAfter, termEndsAt, isHosting(), pause != null,
                liveWindow(), failedRenewals, lastFailure, lastFailureAt);
    }

    /**
     * Plans the next renewal from the facts.
     *
     * @param firstOfVersion whether this is the live version's own renewal time (kept as {@code renewalDueAt}
     *                       for overdue alerts), not a retry
     */
    private void plan(RenewalPlanner planner, Instant now, boolean firstOfVersion) {
        if (cancelled) {
            return;
        }
        RenewalPlan plan = planner.plan(renewalFacts(), now);
        nextRenewalAt = plan.at();
        renewalPlan = new ArrayList<>(plan.reasons());
        if (firstOfVersion) {
            renewalDueAt = plan.at();
        }
        releaseClaim();
    }

    /**
     * The status people see, derived from the facts, most pressing first. Called after every change, so the
     * stored field (which lists filter and count by) never disagrees with the facts.
     */
    void refreshStatus() {
        if (cancelled) {
            status = CertificateStatus.CANCELLED;
        } else if (serialNumber == null) {
            status = lastFailure != null && lastFailureFinal ? CertificateStatus.ISSUANCE_FAILED
                    : CertificateStatus.PENDING_ISSUANCE;
        } else if (expiry == ExpiryState.EXPIRED) {
            status = CertificateStatus.EXPIRED;
        } else if (pendingRenewalEventId != null) {
            status = CertificateStatus.RENEWING;
        } else if (expiry == ExpiryState.EXPIRING) {
            status = CertificateStatus.EXPIRING;
        } else if (pause != null) {
            status = CertificateStatus.PAUSED;
        } else if (failedRenewals > 0) {
            status = CertificateStatus.RENEWAL_FAILED;
        } else if (!isHosting()) {
            status = CertificateStatus.ISSUED;
        } else {
            status = CertificateStatus.HOSTED;
        }
    }

    private void changed(Instant now) {
        updatedAt = now;
        refreshStatus();
    }

    /** Whether no renewal is in flight (one in flight is planned again when it ends). */
    private boolean renewalIdle() {
        return pendingRenewalEventId == null;
    }

    /** Makes the expiry watch look again at once (the facts it decides on changed). */
    private void watchExpirySoon(Instant now) {
        if (!cancelled && serialNumber != null) {
            alertCheckAt = now;
        }
    }

    private void endAttempt(RenewalAttempt.Outcome outcome, String newSerial, String failure, Instant now) {
        if (pendingRenewalEventId == null) {
            return;
        }
        List<RenewalAttempt> list = attempts();
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).renewalEventId().equals(pendingRenewalEventId)) {
                list.set(i, list.get(i).ended(outcome, newSerial, failure, now));
                return;
            }
        }
    }

    private void releaseClaim() {
        claimedBy = null;
        claimToken = null;
        claimedUntil = null;
    }

    /** The CA's window of the live version, or null. */
    private RenewalWindow liveWindow() {
        return renewalWindow != null && renewalWindow.serialNumber().equals(serialNumber) ? renewalWindow : null;
    }

    private boolean hasVersion(String serial) {
        return versions.stream().anyMatch(v -> v.serialNumber().equals(serial));
    }

    private static <T> void trim(List<T> list, int kept) {
        while (list.size() > kept) {
            list.remove(0);
        }
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

    /** The latest deployment job reported, or null. */
    public DeploymentOutcome getLastDeployment() {
        List<DeploymentOutcome> list = deployments();
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }

    /** The deployment jobs reported, oldest first (the last {@value #DEPLOYMENTS_KEPT}). */
    public List<DeploymentOutcome> getDeployments() {
        return List.copyOf(deployments());
    }

    /** The renewal attempts, oldest first (the last {@value #ATTEMPTS_KEPT}). */
    public List<RenewalAttempt> getAttempts() {
        return List.copyOf(attempts());
    }

    /** How many renewals were ever started. */
    public int getAttemptCount() {
        return attemptCount;
    }

    /** Why the next renewal is planned when it is (or why none is), check by check. */
    public List<String> getRenewalPlan() {
        return renewalPlan == null ? List.of() : List.copyOf(renewalPlan);
    }

    /** Whether the order was cancelled. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** The owner's pause, or null when hosting runs. */
    public Pause getPause() {
        return pause;
    }

    /** How close the live version is to its end, as the expiry watch last found it. */
    public ExpiryState getExpiry() {
        return expiry == null ? ExpiryState.VALID : expiry;
    }

    /** Whether the last failure of the first issuance is final. */
    public boolean isLastFailureFinal() {
        return lastFailureFinal;
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

    private List<DeploymentOutcome> deployments() {
        if (deployments == null) {
            deployments = new ArrayList<>();
        }
        return deployments;
    }

    private List<RenewalAttempt> attempts() {
        if (attempts == null) {
            attempts = new ArrayList<>();
        }
        return attempts;
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
