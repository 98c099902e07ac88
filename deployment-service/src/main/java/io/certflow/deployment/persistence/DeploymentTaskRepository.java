package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;
import java.util.Optional;

/** Deployment tasks, always queried with the owning account. */
public interface DeploymentTaskRepository extends MongoRepository<DeploymentTask, String> {

    Optional<DeploymentTask> findByIdAndAccountId(String id, String accountId);

    List<DeploymentTask> findByAccountIdAndCertificateId(String accountId, String certificateId);

    List<DeploymentTask> findByAccountIdOrderByCreatedAtDesc(String accountId);

    List<DeploymentTask> findByAccountIdAndResourceIds(String accountId, String resourceId);
}
