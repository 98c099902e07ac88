package io.certflow.deployment.deploying;

import io.certflow.deployment.persistence.DeploymentJob;
import io.certflow.deployment.persistence.DeploymentJobRepository;
import io.certflow.deployment.persistence.DeploymentTask;
import io.certflow.deployment.persistence.DeploymentTaskRepository;
import io.certflow.deployment.persistence.IssuedCertificate;
import io.certflow.deployment.persistence.JobStatus;
import io.certflow.deployment.persistence.JobTrigger;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.messaging.RejectedEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The "deploy every renewal to the same resources" rule: a newly issued version of a certificate becomes a
 * RENEWAL job for every task of that certificate that once succeeded, exactly once per task and version
 * (the job's unique index absorbs replays and races). A job created inside one of the account's maintenance
 * windows waits until it ends ({@link MaintenanceHolds}). A cancelled order stops the inheritance. Only stores
 * state; the {@link JobRunner} does the slow work.
 */
@Service
public class RenewalDeployments {

    private static final Logger log = LoggerFactory.getLogger(RenewalDeployments.class);

    private final IdempotentApply apply;
    private final DeploymentTaskRepository tasks;
    private final DeploymentJobRepository jobs;
    private final MaintenanceHolds holds;
    private final Clock clock;

    public RenewalDeployments(IdempotentApply apply, DeploymentTaskRepository tasks, DeploymentJobRepository jobs,
                              MaintenanceHolds holds, Clock clock) {
        this.apply = apply;
        this.tasks = tasks;
        this.jobs = jobs;
        this.holds = holds;
        this.clock = clock;
    }

    /** Remembers the version and queues a RENEWAL job for every inheriting task. Idempotent. */
    public void issued(CertificateIssued event) {
        IssuedCertificate certificate = apply.apply(IssuedCertificate.class, event.certificateId(), event,
                () -> new IssuedCertificate(event.certificateId(), event.accountId()), c -> c.record(event));
        if (!certificate.getAccountId().equals(event.accountId())) {
            throw new RejectedEventException("certificate " + event.certificateId() + " belongs to another account");
        }
        String serial = PemCertificates.normalizeSerial(event.serialNumber());
        if (!serial.equals(certificate.getLatestSerialNumber())) {
            log.info("certificate {} version {} is not the latest ({}); not deployed", event.certificateId(), serial,
                    certificate.getLatestSerialNumber());
            return;
        }
        if (certificate.isCancelled()) {
            return;
        }
        for (DeploymentTask task : tasks.findByAccountIdAndCertificateId(event.accountId(), event.certificateId())) {
            queueRenewal(task, serial);
        }
    }

    /**
     * Queues a RENEWAL job of {@code serial} for {@code task} unless the task does not inherit, already put that
     * version on its resources, or has the job already.
     */
    public void queueRenewal(DeploymentTask task, String serial) {
        if (!task.inheritsRenewals() || serial.equals(task.getFirstSucceededSerialNumber())
                || jobs.existsByTaskIdAndSerialNumberAndStatus(task.getId(), serial, JobStatus.SUCCEEDED)
                || jobs.existsByTaskIdAndSerialNumberAndTrigger(task.getId(), serial, JobTrigger.RENEWAL)) {
            return;
        }
        try {
            Instant now = clock.instant();
            DeploymentJob job = new DeploymentJob(UUID.randomUUID().toString(), task, serial, JobTrigger.RENEWAL, now);
            MaintenanceHolds.hold(job, holds.scheduleOf(task.getAccountId()), now);
            jobs.insert(job);
            log.info("queued renewal deployment job {} of certificate {} version {} for task {}{}", job.getId(),
                    task.getCertificateId(), serial, task.getId(),
                    job.getNotBefore() == null ? "" : " (" + job.getNotBeforeReason() + ")");
        } catch (DuplicateKeyException e) {
            log.debug("renewal job of task {} version {} exists already", task.getId(), serial);
        }
    }

    /** The order was cancelled: the certificate's tasks stop inheriting renewals. Idempotent. */
    public void cancelled(OrderCancelled event) {
        apply.apply(IssuedCertificate.class, event.certificateId(), event, null, IssuedCertificate::cancel);
        String reason = "order " + event.orderId() + " was cancelled";
        for (DeploymentTask task : tasks.findByAccountIdAndCertificateId(event.accountId(), event.certificateId())) {
            apply.apply(DeploymentTask.class, task.getId(), event, null, t -> t.stopInheriting(reason));
        }
    }
}
