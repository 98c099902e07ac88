package io.certflow.deployment.persistence;

import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * "Deploy this certificate to these resources". Once a job of the task succeeded on every resource, the
 * task inherits: every later version of the certificate is deployed to the same resources without anyone
 * touching it, until the order is cancelled.
 */
@Document("deployment_tasks")
public class DeploymentTask extends Aggregate {

    @Indexed
    private String certificateId;
    private List<String> resourceIds = new ArrayList<>();
    private boolean succeededOnce;
    private String firstSucceededSerialNumber;
    private Instant firstSucceededAt;
    private boolean inheriting = true;
    private FailurePolicy onFailure = FailurePolicy.CONTINUE;
    private String stoppedReason;
    private Instant createdAt;

    protected DeploymentTask() {
    }

    public DeploymentTask(String id, String accountId, String certificateId, List<String> resourceIds, Instant createdAt) {
        super(id, accountId);
        this.certificateId = certificateId;
        this.resourceIds = new ArrayList<>(resourceIds);
        this.createdAt = createdAt;
    }

    /** A job of this task put {@code serialNumber} on every resource. Remembers the first such serial. */
    public void recordSuccess(String serialNumber, Instant at) {
        if (!succeededOnce) {
            succeededOnce = true;
            firstSucceededSerialNumber = serialNumber;
            firstSucceededAt = at;
        }
    }

    /** What a job does after a resource failed. */
    public enum FailurePolicy {
        /** Deploy to every other resource anyway. */
        CONTINUE,
        /** Start no further resource (those still running finish); the rest are reported as skipped. */
        STOP
    }

    /** Sets what a job does after a resource failed. */
    public void setOnFailure(FailurePolicy policy) {
        this.onFailure = policy == null ? FailurePolicy.CONTINUE : policy;
    }

    public FailurePolicy getOnFailure() {
        return onFailure == null ? FailurePolicy.CONTINUE : onFailure;
    }

    /**
     * The resources change: later jobs (renewals included) deploy to the new set. A task that inherited renewals
     * keeps inheriting; a new resource gets the next version.
     */
    public void replaceResources(List<String> ids) {
        resourceIds = new ArrayList<>(ids);
    }

    /** The certificate's order was cancelled: later versions are not deployed any more. */
    public void stopInheriting(String reason) {
        inheriting = false;
        stoppedReason = reason;
    }

    /** Whether a newly issued version should be deployed by itself. */
    public boolean inheritsRenewals() {
        return succeededOnce && inheriting;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public List<String> getResourceIds() {
        return List.copyOf(resourceIds);
    }

    public boolean isSucceededOnce() {
        return succeededOnce;
    }

    public String getFirstSucceededSerialNumber() {
        return firstSucceededSerialNumber;
    }

    public Instant getFirstSucceededAt() {
        return firstSucceededAt;
    }

    public boolean isInheriting() {
        return inheriting;
    }

    public String getStoppedReason() {
        return stoppedReason;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
