package io.certflow.deployment.persistence;

import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.CompoundIndexes;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One run of a deployment task for one certificate version: created by a person's submit or by an inherited
 * renewal, claimed and run by the {@code JobRunner}, finished with one result per resource and a
 * {@code DeploymentCompleted} event raised in the same write. Every run is its own job: a person who submits the
 * task again after a job finished gets a new job (its own id, creation time and {@code DeploymentCompleted}),
 * numbered by {@code sequence} and pointing back with {@code rerunOf}.
 *
 * <p>(taskId, serialNumber, trigger, sequence) is unique: a replayed {@code CertificateIssued} finds the existing
 * RENEWAL job (always sequence 1) instead of creating a second one, and two submits at once create one job.
 *
 * <p>An automatic (RENEWAL) job may wait: {@code notBefore}, with its reason, holds it until the account's
 * maintenance window it was created in (or claimed in) ends. A person's submit is never held.
 */
@Document("deployment_jobs")
@CompoundIndexes({
        @CompoundIndex(name = "task_serial_trigger_sequence",
                def = "{'taskId': 1, 'serialNumber': 1, 'trigger': 1, 'sequence': 1}", unique = true),
        @CompoundIndex(name = "runnable", def = "{'status': 1, 'nextAttemptAt': 1}"),
        @CompoundIndex(name = "account_certificate", def = "{'accountId': 1, 'certificateId': 1, 'createdAt': -1}")
})
public class DeploymentJob extends Aggregate {

    private String taskId;
    private String certificateId;
    private String serialNumber;
    private JobTrigger trigger;
    /** 1 for the first job of (task, version, trigger), one more for each rerun a person submitted. */
    private int sequence = 1;
    private String rerunOf;
    private JobStatus status;
    private List<ResourceResult> results = new ArrayList<>();
    private String message;
    private int runs;
    private int fetchAttempts;
    private Instant createdAt;
    private Instant nextAttemptAt;
    private Instant notBefore;
    private String notBeforeReason;
    private Instant startedAt;
    private Instant leaseUntil;
    private Instant finishedAt;

    protected DeploymentJob() {
    }

    public DeploymentJob(String id, DeploymentTask task, String serialNumber, JobTrigger trigger, Instant now) {
        super(id, task.getAccountId());
        this.taskId = task.getId();
        this.certificateId = task.getCertificateId();
        this.serialNumber = serialNumber;
        this.trigger = trigger;
        this.status = JobStatus.PENDING;
        this.createdAt = now;
        this.nextAttemptAt = now;
    }

    /** The runner takes the job until {@code lease} has passed. */
    public void claim(Instant now, Duration lease) {
        if (status != JobStatus.RUNNING) {
            runs++;
        }
        status = JobStatus.RUNNING;
        startedAt = now;
        leaseUntil = now.plus(lease);
    }

    /** The bundle could not be fetched for a passing reason: try again at {@code next}. */
    public void retryFetchAt(Instant next, String reason) {
        fetchAttempts++;
        status = JobStatus.PENDING;
        nextAttemptAt = next;
        leaseUntil = null;
        message = reason;
    }

    /** Counts a failed fetch without scheduling another. */
    public int getFetchAttempts() {
        return fetchAttempts;
    }

    /** Ends the job with a reason and no resource touched (bundle unavailable, task gone…). */
    public void fail(String reason, Instant now) {
        finish(List.of(), reason, now);
    }

    /** Ends the job with one result per resource and announces it. SUCCEEDED iff every resource succeeded. */
    public void finish(List<ResourceResult> resourceResults, String summary, Instant now) {
        results = new ArrayList<>(resourceResults);
        boolean succeeded = !resourceResults.isEmpty() && resourceResults.stream().allMatch(ResourceResult::succeeded);
        status = succeeded ? JobStatus.SUCCEEDED : JobStatus.FAILED;
        message = summary;
        finishedAt = now;
        leaseUntil = null;
        raise(new DeploymentCompleted(UUID.randomUUID(), now, getAccountId(), certificateId, getId(), taskId,
                serialNumber, trigger.name(), succeeded,
                resourceResults.stream().map(r -> new DeploymentCompleted.ResourceResult(r.resourceId(), r.name(),
                        r.targetType(), r.status(), r.servedSerialNumber(), r.message(), r.outcome(),
                        r.attempts() == 0 ? null : r.attempts())).toList()));
    }

    /**
     * A person asked again for this finished job: a new job of the same task and version, with its own id and
     * creation time, numbered after this one.
     */
    public DeploymentJob rerun(String id, DeploymentTask task, Instant now) {
        if (!status.finished()) {
            throw new IllegalStateException("job " + getId() + " has not finished; it is not run again");
        }
        DeploymentJob next = new DeploymentJob(id, task, serialNumber, trigger, now);
        next.sequence = sequence + 1;
        next.rerunOf = getId();
        return next;
    }

    /**
     * Holds a job that has not started until {@code until} (the end of a maintenance window), for {@code reason}.
     * The runner claims it then, no earlier.
     */
    public void holdUntil(Instant until, String reason) {
        if (status != JobStatus.PENDING) {
            throw new IllegalStateException("job " + getId() + " is " + status + "; only a waiting job is held");
        }
        if (nextAttemptAt == null || nextAttemptAt.isBefore(until) || nextAttemptAt.equals(notBefore)) {
            nextAttemptAt = until;
        }
        notBefore = until;
        notBeforeReason = reason;
    }

    /** Lets a held job start at {@code now} (its window was removed): it is claimed at the next poll. */
    public void release(Instant now) {
        if (status == JobStatus.PENDING && notBefore != null && notBefore.isAfter(now)) {
            notBefore = null;
            notBeforeReason = null;
            nextAttemptAt = now;
        }
    }

    /** Whether the job waits for a maintenance window to end. */
    public boolean isHeld(Instant now) {
        return status == JobStatus.PENDING && notBefore != null && notBefore.isAfter(now);
    }

    public String getTaskId() {
        return taskId;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public String getSerialNumber() {
        return serialNumber;
    }

    public JobTrigger getTrigger() {
        return trigger;
    }

    public int getSequence() {
        return sequence;
    }

    /** The job a person ran again to create this one, or null. */
    public String getRerunOf() {
        return rerunOf;
    }

    /** The earliest start of an automatic job created or claimed inside a maintenance window, or null. */
    public Instant getNotBefore() {
        return notBefore;
    }

    /** Why the job waits until {@link #getNotBefore()}, or null. */
    public String getNotBeforeReason() {
        return notBeforeReason;
    }

    public JobStatus getStatus() {
        return status;
    }

    public List<ResourceResult> getResults() {
        return List.copyOf(results);
    }

    public String getMessage() {
        return message;
    }

    public int getRuns() {
        return runs;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getLeaseUntil() {
        return leaseUntil;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
