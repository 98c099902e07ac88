package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;
import java.util.Optional;

/** Deployment jobs, always queried with the owning account (the runner queries by state). */
public interface DeploymentJobRepository extends MongoRepository<DeploymentJob, String> {

    Optional<DeploymentJob> findByIdAndAccountId(String id, String accountId);

    List<DeploymentJob> findByAccountIdAndCertificateIdOrderByCreatedAtDesc(String accountId, String certificateId);

    /** The latest job of a task, version and trigger (the highest sequence: reruns come after the first run). */
    Optional<DeploymentJob> findFirstByTaskIdAndSerialNumberAndTriggerOrderBySequenceDesc(String taskId, String serialNumber,
                                                                                          JobTrigger trigger);

    boolean existsByTaskIdAndSerialNumberAndTrigger(String taskId, String serialNumber, JobTrigger trigger);

    /** An account's jobs of one trigger in one state, e.g. the renewal jobs waiting to start. */
    List<DeploymentJob> findByAccountIdAndTriggerAndStatus(String accountId, JobTrigger trigger, JobStatus status);

    boolean existsByTaskIdAndSerialNumberAndStatus(String taskId, String serialNumber, JobStatus status);
}
