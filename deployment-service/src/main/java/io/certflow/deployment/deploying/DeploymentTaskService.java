package io.certflow.deployment.deploying;

import io.certflow.deployment.persistence.DeploymentJob;
import io.certflow.deployment.persistence.DeploymentJobRepository;
import io.certflow.deployment.persistence.DeploymentTask;
import io.certflow.deployment.persistence.DeploymentTaskRepository;
import io.certflow.deployment.persistence.IssuedCertificate;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.persistence.JobTrigger;
import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.persistence.ResourceRepository;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DeploymentTargets;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetResource;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The use cases a person drives: create a deployment task for a certificate and resources, preview what a
 * submit would change, submit it (which queues a job for the runner), and look at jobs. Every lookup is
 * scoped to the caller's account; another account's object is "not found".
 */
@Service
public class DeploymentTaskService {

    private final DeploymentTaskRepository tasks;
    private final DeploymentJobRepository jobs;
    private final ResourceRepository resources;
    private final IssuedCertificateRepository certificates;
    private final DeploymentTargets targets;
    private final Clock clock;

    public DeploymentTaskService(DeploymentTaskRepository tasks, DeploymentJobRepository jobs,
                                 ResourceRepository resources, IssuedCertificateRepository certificates,
                                 DeploymentTargets targets, Clock clock) {
        this.tasks = tasks;
        this.jobs = jobs;
        this.resources = resources;
        this.certificates = certificates;
        this.targets = targets;
        this.clock = clock;
    }

    /**
     * Creates a task.
     *
     * @throws BadRequestException if the certificate is unknown to this account or a resource id is not one of its resources
     */
    public DeploymentTask create(String accountId, String certificateId, List<String> resourceIds) {
        IssuedCertificate certificate = certificates.findByIdAndAccountId(certificateId, accountId)
                .orElseThrow(() -> new BadRequestException("unknown certificate '" + certificateId
                        + "': no issued version of it is known for this account (is it issued yet?)"));
        List<String> ids = List.copyOf(new LinkedHashSet<>(resourceIds));
        Map<String, Resource> found = resources.findByAccountIdAndIdIn(accountId, ids).stream()
                .collect(Collectors.toMap(Resource::getId, Function.identity()));
        List<String> unknown = ids.stream().filter(id -> !found.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new BadRequestException("unknown resource ids " + unknown + ": register them first (POST /api/v1/resources)");
        }
        DeploymentTask task = new DeploymentTask(UUID.randomUUID().toString(), accountId, certificateId, ids, clock.instant());
        if (certificate.isCancelled()) {
            task.stopInheriting("the order of certificate " + certificateId + " was cancelled");
        }
        return tasks.insert(task);
    }

    /** One of the account's tasks. */
    public DeploymentTask get(String accountId, String taskId) {
        return tasks.findByIdAndAccountId(taskId, accountId)
                .orElseThrow(() -> new NotFoundException("deployment task " + taskId + " not found"));
    }

    /** What a submit would change, read live from every resource. */
    public TaskPreview preview(String accountId, String taskId) {
        DeploymentTask task = get(accountId, taskId);
        IssuedCertificate certificate = certificateOf(task);
        String newSerial = certificate.getLatestSerialNumber();
        Map<String, Resource> byId = resources.findByAccountIdAndIdIn(accountId, task.getResourceIds()).stream()
                .collect(Collectors.toMap(Resource::getId, Function.identity()));
        List<TaskPreview.ResourcePreview> previews = new ArrayList<>();
        for (String resourceId : task.getResourceIds()) {
            Resource resource = byId.get(resourceId);
            if (resource == null) {
                previews.add(new TaskPreview.ResourcePreview(resourceId, null, null, newSerial, false, "REPLACE",
                        "the resource no longer exists"));
                continue;
            }
            Optional<DeploymentTarget> target = targets.find(resource.getType());
            TargetResource targetResource = toTarget(resource);
            ReadBack current = target.map(t -> t.readBack(targetResource))
                    .orElse(ReadBack.unknown("no deployment target of type " + resource.getType()));
            boolean covered = target.flatMap(t -> t.serverName(targetResource))
                    .map(name -> DomainCoverage.covers(certificate.getDomains(), name))
                    .orElse(false);
            String currentSerial = current.serialNumber().orElse(null);
            previews.add(new TaskPreview.ResourcePreview(resource.getId(), resource.getName(), currentSerial, newSerial,
                    covered, newSerial.equals(currentSerial) ? "NONE" : "REPLACE", current.failureReason()));
        }
        return new TaskPreview(task.getId(), task.getCertificateId(), newSerial, previews);
    }

    /**
     * Queues a job that deploys the certificate's latest version to the task's resources. Submitting again
     * while that job waits or runs returns it; submitting after it finished runs it again.
     */
    public DeploymentJob submit(String accountId, String taskId) {
        DeploymentTask task = get(accountId, taskId);
        String serial = certificateOf(task).getLatestSerialNumber();
        Optional<DeploymentJob> existing = jobs.findByTaskIdAndSerialNumberAndTrigger(task.getId(), serial, JobTrigger.SUBMIT);
        if (existing.isPresent()) {
            return rerun(existing.get());
        }
        try {
            return jobs.insert(new DeploymentJob(UUID.randomUUID().toString(), task, serial, JobTrigger.SUBMIT, clock.instant()));
        } catch (DuplicateKeyException e) {
            return jobs.findByTaskIdAndSerialNumberAndTrigger(task.getId(), serial, JobTrigger.SUBMIT).orElseThrow(() -> e);
        }
    }

    private DeploymentJob rerun(DeploymentJob job) {
        if (!job.getStatus().finished()) {
            return job;
        }
        job.rearm(clock.instant());
        try {
            return jobs.save(job);
        } catch (OptimisticLockingFailureException e) {
            throw new ConflictException("job " + job.getId() + " changed while it was submitted again; try again");
        }
    }

    /** One of the account's jobs. */
    public DeploymentJob job(String accountId, String jobId) {
        return jobs.findByIdAndAccountId(jobId, accountId)
                .orElseThrow(() -> new NotFoundException("deployment job " + jobId + " not found"));
    }

    /** The account's jobs of one certificate, newest first. */
    public List<DeploymentJob> jobsOf(String accountId, String certificateId) {
        return jobs.findByAccountIdAndCertificateIdOrderByCreatedAtDesc(accountId, certificateId);
    }

    private IssuedCertificate certificateOf(DeploymentTask task) {
        return certificates.findByIdAndAccountId(task.getCertificateId(), task.getAccountId())
                .orElseThrow(() -> new ConflictException("certificate " + task.getCertificateId() + " is not known any more"));
    }

    /** The target's view of a stored resource. */
    public static TargetResource toTarget(Resource resource) {
        return new TargetResource(resource.getId(), resource.getName(), resource.getType(), resource.getConfig());
    }
}
