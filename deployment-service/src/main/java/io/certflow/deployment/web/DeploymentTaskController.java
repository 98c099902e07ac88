package io.certflow.deployment.web;

import io.certflow.deployment.deploying.DeploymentTaskService;
import io.certflow.deployment.deploying.TaskPreview;
import io.certflow.deployment.persistence.DeploymentJob;
import io.certflow.deployment.persistence.DeploymentTask;
import io.certflow.platform.web.Account;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;

/** {@code /api/v1/deployment-tasks}: say where a certificate goes, preview the change, and submit it. */
@RestController
@RequestMapping("/api/v1/deployment-tasks")
public class DeploymentTaskController {

    private final DeploymentTaskService service;

    public DeploymentTaskController(DeploymentTaskService service) {
        this.service = service;
    }

    /**
     * A task to create.
     *
     * @param onFailure {@code CONTINUE} (default): deploy to the other resources after one failed; {@code STOP}: start
     *                  no further resource
     */
    public record TaskRequest(@NotBlank String certificateId, @NotEmpty List<@NotBlank String> resourceIds,
                              DeploymentTask.FailurePolicy onFailure) {
    }

    /** A change of a task's resources (and, if given, its failure policy). */
    public record TaskUpdate(@NotEmpty List<@NotBlank String> resourceIds, DeploymentTask.FailurePolicy onFailure) {
    }

    /** A task. {@code inheriting}: whether renewals are deployed by themselves once it succeeded. */
    public record TaskResponse(String taskId, String certificateId, List<String> resourceIds, boolean succeededOnce,
                               boolean inheriting, String onFailure) {
        static TaskResponse of(DeploymentTask t) {
            return new TaskResponse(t.getId(), t.getCertificateId(), t.getResourceIds(), t.isSucceededOnce(), t.isInheriting(),
                    t.getOnFailure().name());
        }
    }

    /** A queued job. */
    public record SubmitResponse(String jobId, String taskId, String serialNumber, String status) {
    }

    @PostMapping
    public ResponseEntity<TaskResponse> create(Account account, @Valid @RequestBody TaskRequest request) {
        DeploymentTask task = service.create(account.id(), request.certificateId().strip(),
                request.resourceIds().stream().map(String::strip).toList(), request.onFailure());
        return ResponseEntity.created(URI.create("/api/v1/deployment-tasks/" + task.getId())).body(TaskResponse.of(task));
    }

    /** Changes the resources: later jobs, renewals included, deploy to the new set. */
    @PutMapping("/{taskId}/resources")
    public TaskResponse update(Account account, @PathVariable String taskId, @Valid @RequestBody TaskUpdate request) {
        return TaskResponse.of(service.update(account.id(), taskId,
                request.resourceIds().stream().map(String::strip).toList(), request.onFailure()));
    }

    /** The account's tasks, newest first; of one certificate with {@code certificateId}. */
    @GetMapping
    public List<TaskResponse> list(Account account, @RequestParam(required = false) String certificateId) {
        return service.list(account.id(), certificateId).stream().map(TaskResponse::of).toList();
    }

    @GetMapping("/{taskId}")
    public TaskResponse get(Account account, @PathVariable String taskId) {
        return TaskResponse.of(service.get(account.id(), taskId));
    }

    @GetMapping("/{taskId}/preview")
    public TaskPreview preview(Account account, @PathVariable String taskId) {
        return service.preview(account.id(), taskId);
    }

    @PostMapping("/{taskId}/submit")
    public ResponseEntity<SubmitResponse> submit(Account account, @PathVariable String taskId) {
        DeploymentJob job = service.submit(account.id(), taskId);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/deployment-jobs/" + job.getId()))
                .body(new SubmitResponse(job.getId(), job.getTaskId(), job.getSerialNumber(), job.getStatus().name()));
    }
}
