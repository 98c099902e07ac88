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
 * {@code DeploymentCompleted} event raised in the same write.
 *
 * <p>(taskId, serialNumber, trigger) is unique: a replayed {@code CertificateIssued} or a double submit finds
 * the existing job instead of creating a second one.
 */
@Document("deployment_jobs")
@CompoundIndexes({
        @CompoundIndex(name = "task_serial_trigger", def = "{'taskId': 1, 'serialNumber': 1, 'trigger': 1}", unique = true),
        @CompoundIndex(name = "runnable", def = "{'status': 1, 'nextAttemptAt': 1}"),
        @CompoundIndex(name = "account_certificate", def = "{'accountId': 1, 'certificateId': 1, 'createdAt': -1}")
})
public class DeploymentJob extends Aggregate {

    private String taskId;
    private String certificateId;
    private String serialNumber;
    private JobTrigger trigger;
    private JobStatus status;
    private List<ResourceResult> results = new ArrayList<>();
    private String message;
    private int runs;
    private int fetchAttempts;
    private Instant createdAt;
    private Instant nextAttemptAt;
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

    /** A person asked again for a finished job: it runs once more. */
    public void rearm(Instant now) {
        if (!status.finished()) {
            return;
        }
        status = JobStatus.PENDING;
        results = new ArrayList<>();
        message = null;
        fetchAttempts = 0;
        nextAttemptAt = now;
        finishedAt = null;
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
