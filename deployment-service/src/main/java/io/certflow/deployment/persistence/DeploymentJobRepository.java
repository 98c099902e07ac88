package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;
import java.util.Optional;

/** Deployment jobs, always queried with the owning account (the runner queries by state). */
public interface DeploymentJobRepository extends MongoRepository<DeploymentJob, String> {

    Optional<DeploymentJob> findByIdAndAccountId(String id, String accountId);

    List<DeploymentJob> findByAccountIdAndCertificateIdOrderByCreatedAtDesc(String accountId, String certificateId);

    Optional<DeploymentJob> findByTaskIdAndSerialNumberAndTrigger(String taskId, String serialNumber, JobTrigger trigger);

    boolean existsByTaskIdAndSerialNumberAndStatus(String taskId, String serialNumber, JobStatus status);
}
