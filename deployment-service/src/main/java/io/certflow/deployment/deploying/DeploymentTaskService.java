package io.certflow.deployment.deploying;

import io.certflow.deployment.credentials.CredentialUnavailableException;
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
    private final TargetResources targetResources;
    private final Clock clock;

    public DeploymentTaskService(DeploymentTaskRepository tasks, DeploymentJobRepository jobs,
                                 ResourceRepository resources, IssuedCertificateRepository certificates,
                                 DeploymentTargets targets, TargetResources targetResources, Clock clock) {
        this.tasks = tasks;
        this.jobs = jobs;
        this.resources = resources;
        this.certificates = certificates;
        this.targets = targets;
        this.targetResources = targetResources;
        this.clock = clock;
    }

    /**
     * Creates a task.
     *
     * @param onFailure what a job does after a resource failed (null: continue with the others)
     * @throws BadRequestException if the certificate is unknown to this account, a resource id is not one of its
     *                             resources, or the certificate does not cover a resource's host names (each named)
     */
    public DeploymentTask create(String accountId, String certificateId, List<String> resourceIds,
                                 DeploymentTask.FailurePolicy onFailure) {
        IssuedCertificate certificate = certificates.findByIdAndAccountId(certificateId, accountId)
                .orElseThrow(() -> new BadRequestException("unknown certificate '" + certificateId
                        + "': no issued version of it is known for this account (is it issued yet?)"));
        List<String> ids = checkedResources(accountId, certificate, resourceIds);
        DeploymentTask task = new DeploymentTask(UUID.randomUUID().toString(), accountId, certificateId, ids, clock.instant());
        task.setOnFailure(onFailure);
        if (certificate.isCancelled()) {
            task.stopInheriting("the order of certificate " + certificateId + " was cancelled");
        }
        return tasks.insert(task);
    }

    /**
     * Changes a task's resources (and, if given, its failure policy): the next job, a renewal's included, deploys to
     * the new set. The same checks as at creation.
     */
    public DeploymentTask update(String accountId, String taskId, List<String> resourceIds,
                                 DeploymentTask.FailurePolicy onFailure) {
        for (int attempt = 1; ; attempt++) {
            DeploymentTask task = get(accountId, taskId);
            IssuedCertificate certificate = certificateOf(task);
            task.replaceResources(checkedResources(accountId, certificate, resourceIds));
            if (onFailure != null) {
                task.setOnFailure(onFailure);
            }
            try {
                return tasks.save(task);
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw new ConflictException("task " + taskId + " kept changing; try again");
                }
            }
        }
    }

    /** The distinct resource ids, each the account's, each covered by the certificate. */
    private List<String> checkedResources(String accountId, IssuedCertificate certificate, List<String> resourceIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(resourceIds));
        Map<String, Resource> found = resources.findByAccountIdAndIdIn(accountId, ids).stream()
                .collect(Collectors.toMap(Resource::getId, Function.identity()));
        List<String> unknown = ids.stream().filter(id -> !found.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw new BadRequestException("unknown resource ids " + unknown + ": register or discover them first "
                    + "(POST /api/v1/resources, POST /api/v1/target-credentials/{id}/discover)");
        }
        List<String> refused = new ArrayList<>();
        for (String id : ids) {
            Resource resource = found.get(id);
            String reason = refusal(resource, certificate);
            if (reason != null) {
                refused.add(resource.getName() + ": " + reason);
            }
        }
        if (!refused.isEmpty()) {
            throw new BadRequestException("certificate " + certificate.getId() + " cannot go to " + String.join("; ", refused));
        }
        return ids;
    }

    /** Why the certificate cannot go to the resource, or null when it can. */
    private String refusal(Resource resource, IssuedCertificate certificate) {
        Optional<DeploymentTarget> target = targets.find(resource.getType());
        if (target.isEmpty()) {
            return "no deployment target of type " + resource.getType();
        }
        List<String> uncovered = TargetResources.uncovered(target.get(), resource, certificate.getDomains());
        return uncovered.isEmpty() ? null : "it serves " + String.join(", ", uncovered) + ", which the certificate ("
                + String.join(", ", certificate.getDomains()) + ") does not cover";
    }

    /** The account's tasks, newest first; only those of {@code certificateId} when given. */
    public List<DeploymentTask> list(String accountId, String certificateId) {
        return certificateId == null || certificateId.isBlank() ? tasks.findByAccountIdOrderByCreatedAtDesc(accountId)
                : tasks.findByAccountIdAndCertificateId(accountId, certificateId.strip());
    }

    /** One of the account's tasks. */
    public DeploymentTask get(String accountId, String taskId) {
        return tasks.findByIdAndAccountId(taskId, accountId)
                .orElseThrow(() -> new NotFoundException("deployment task " + taskId + " not found"));
    }

    /**
     * What a submit would change, read live from every resource: what it serves now, what it would serve, and
     * whether the certificate covers its host names (a resource it does not cover is refused, with the reason).
     */
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
                previews.add(new TaskPreview.ResourcePreview(resourceId, null, null, List.of(), null, newSerial, false,
                        "REFUSED", "the resource no longer exists", null));
                continue;
            }
            Optional<DeploymentTarget> target = targets.find(resource.getType());
            String refusal = refusal(resource, certificate);
            ReadBack current;
            try {
                current = target.map(t -> t.readBack(targetResources.of(resource)))
                        .orElse(ReadBack.unknown("no deployment target of type " + resource.getType()));
            } catch (CredentialUnavailableException e) {
                current = ReadBack.unknown(e.getMessage());
            }
            List<String> names = target.map(t -> TargetResources.hostNames(t, resource)).orElse(List.of());
            String currentSerial = current.serialNumber().orElse(null);
            String change = refusal != null ? "REFUSED" : newSerial.equals(currentSerial) ? "NONE" : "REPLACE";
            previews.add(new TaskPreview.ResourcePreview(resource.getId(), resource.getName(), resource.getType(), names,
                    currentSerial, newSerial, refusal == null, change, current.failureReason(), refusal));
        }
        return new TaskPreview(task.getId(), task.getCertificateId(), newSerial, certificate.getDomains(), previews);
    }

    /**
     * Queues a job that deploys the certificate's latest version to the task's resources. Submitting again while
     * that job waits or runs returns it; submitting after it finished creates a new job (its own id, creation time
     * and outcome), a rerun of the last one. A person's submit is never held by a maintenance window.
     */
    public DeploymentJob submit(String accountId, String taskId) {
        DeploymentTask task = get(accountId, taskId);
        String serial = certificateOf(task).getLatestSerialNumber();
        for (int attempt = 1; ; attempt++) {
            Optional<DeploymentJob> latest = lastSubmitted(task.getId(), serial);
            if (latest.isPresent() && !latest.get().getStatus().finished()) {
                return latest.get();
            }
            String id = UUID.randomUUID().toString();
            DeploymentJob job = latest.map(previous -> previous.rerun(id, task, clock.instant()))
                    .orElseGet(() -> new DeploymentJob(id, task, serial, JobTrigger.SUBMIT, clock.instant()));
            try {
                return jobs.insert(job);
            } catch (DuplicateKeyException e) {
                // a submit at the same moment created this run; it is returned unless it finished already
                if (attempt >= 3) {
                    throw new ConflictException("task " + taskId + " was submitted at the same time; try again");
                }
            }
        }
    }

    private Optional<DeploymentJob> lastSubmitted(String taskId, String serial) {
        return jobs.findFirstByTaskIdAndSerialNumberAndTriggerOrderBySequenceDesc(taskId, serial, JobTrigger.SUBMIT);
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

}
