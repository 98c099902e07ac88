package io.certflow.deployment.deploying;

import io.certflow.deployment.persistence.AccountMaintenance;
import io.certflow.deployment.persistence.AccountMaintenanceRepository;
import io.certflow.deployment.persistence.DeploymentJob;
import io.certflow.deployment.persistence.DeploymentJobRepository;
import io.certflow.deployment.persistence.JobStatus;
import io.certflow.deployment.persistence.JobTrigger;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.maintenance.MaintenanceSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;

/**
 * The account's maintenance windows hold automatic deployments back: a RENEWAL job created, or about to be claimed,
 * inside a window waits until it ends ({@code notBefore}, with the reason). A person's submit is never held, as a
 * manual renewal is not in hosting-service. The windows come from hosting-service as {@code MaintenanceWindowsChanged}
 * (per account, newer revision wins); where a start may happen is the platform's {@link MaintenanceSchedule}.
 */
@Service
public class MaintenanceHolds {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceHolds.class);

    private final IdempotentApply apply;
    private final AccountMaintenanceRepository accounts;
    private final DeploymentJobRepository jobs;
    private final Clock clock;

    public MaintenanceHolds(IdempotentApply apply, AccountMaintenanceRepository accounts, DeploymentJobRepository jobs,
                            Clock clock) {
        this.apply = apply;
        this.accounts = accounts;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Keeps the account's windows if the event is newer than those kept (idempotent), then moves the account's waiting
     * renewal jobs to what the windows say now: a job held by a window that is gone starts at once, one inside a new
     * window waits for its end.
     */
    public void windowsChanged(MaintenanceWindowsChanged event) {
        boolean[] taken = new boolean[1];
        AccountMaintenance kept = apply.apply(AccountMaintenance.class, event.accountId(), event,
                () -> new AccountMaintenance(event.accountId()), m -> taken[0] = m.update(event));
        if (!taken[0]) {
            log.info("maintenance windows of account {} revision {} ignored: revision {} is kept", event.accountId(),
                    event.revision(), kept.getRevision());
            return;
        }
        log.info("maintenance windows of account {} now revision {} ({} window(s))", event.accountId(),
                kept.getRevision(), kept.getWindows().size());
        Instant now = clock.instant();
        MaintenanceSchedule schedule = kept.schedule();
        for (DeploymentJob job : jobs.findByAccountIdAndTriggerAndStatus(event.accountId(), JobTrigger.RENEWAL,
                JobStatus.PENDING)) {
            if (!hold(job, schedule, now)) {
                if (!job.isHeld(now)) {
                    continue;
                }
                job.release(now);
            }
            try {
                jobs.save(job);
            } catch (OptimisticLockingFailureException e) {
                // the runner claimed it meanwhile; it checks the windows itself before it starts
                log.debug("job {} changed while its maintenance hold was updated", job.getId());
            }
        }
    }

    /** The account's windows; none when it set none (or hosting never announced them). */
    public MaintenanceSchedule scheduleOf(String accountId) {
        return accounts.findById(accountId).map(AccountMaintenance::schedule).orElse(MaintenanceSchedule.NONE);
    }

    /** Whether windows apply to the job: an automatic (RENEWAL) job that has not started. */
    public static boolean holdable(DeploymentJob job) {
        return job.getTrigger() == JobTrigger.RENEWAL && job.getStatus() == JobStatus.PENDING;
    }

    /**
     * Holds an automatic job that would start inside one of {@code schedule}'s windows until it ends.
     *
     * @return whether the job was held (a SUBMIT job, or one outside every window, is not)
     */
    public static boolean hold(DeploymentJob job, MaintenanceSchedule schedule, Instant now) {
        if (!holdable(job)) {
            return false;
        }
        MaintenanceSchedule.Outcome allowed = schedule.firstAllowed(now);
        if (!allowed.moved()) {
            return false;
        }
        job.holdUntil(allowed.at(), allowed.reason());
        return true;
    }
}
