package io.certflow.deployment.web;

import io.certflow.deployment.deploying.DeploymentTaskService;
import io.certflow.deployment.persistence.DeploymentJob;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** {@code /api/v1/deployment-jobs}: what each deployment did, resource by resource. */
@RestController
@RequestMapping("/api/v1/deployment-jobs")
public class DeploymentJobController {

    private final DeploymentTaskService service;

    public DeploymentJobController(DeploymentTaskService service) {
        this.service = service;
    }

    /**
     * A job and its per-resource results.
     *
     * @param notBefore       an automatic job created (or about to start) inside a maintenance window starts no earlier
     * @param notBeforeReason why, e.g. "inside the maintenance window Sat, Sun 02:00–06:00 Europe/Berlin: starts at …"
     * @param rerunOf         the job a person ran again to create this one
     */
    public record JobResponse(String jobId, String taskId, String certificateId, String serialNumber, String status,
                              String trigger, List<Result> results, String message, Instant createdAt,
                              Instant notBefore, String notBeforeReason, String rerunOf, Instant startedAt,
                              Instant finishedAt) {
        static JobResponse of(DeploymentJob j) {
            return new JobResponse(j.getId(), j.getTaskId(), j.getCertificateId(), j.getSerialNumber(), j.getStatus().name(),
                    j.getTrigger().name(), j.getResults().stream()
                    .map(r -> new Result(r.resourceId(), r.name(), r.status(), r.outcome(), r.attempts(),
                            r.servedSerialNumber(), r.message())).toList(),
                    j.getMessage(), j.getCreatedAt(), j.getNotBefore(), j.getNotBeforeReason(), j.getRerunOf(),
                    j.getStartedAt(), j.getFinishedAt());
        }
    }

    /**
     * The outcome on one resource.
     *
     * @param outcome  DEPLOYED, ROLLED_BACK, FAILED or SKIPPED
     * @param attempts how often it was tried in this run
     */
    public record Result(String resourceId, String name, String status, String outcome, int attempts,
                         String servedSerialNumber, String message) {
    }

    @GetMapping("/{jobId}")
    public JobResponse get(Account account, @PathVariable String jobId) {
        return JobResponse.of(service.job(account.id(), jobId));
    }

    @GetMapping
    public List<JobResponse> list(Account account, @RequestParam(required = false) String certificateId) {
        if (certificateId == null || certificateId.isBlank()) {
            throw new BadRequestException("query parameter certificateId is required");
        }
        return service.jobsOf(account.id(), certificateId).stream().map(JobResponse::of).toList();
    }
}
