package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;
import java.util.Optional;

/** The accounts' target credentials; every read goes through the account. */
public interface TargetCredentialRepository extends MongoRepository<TargetCredential, String> {

    Optional<TargetCredential> findByIdAndAccountId(String id, String accountId);

    List<TargetCredential> findByAccountIdOrderByCreatedAtAsc(String accountId);
}
