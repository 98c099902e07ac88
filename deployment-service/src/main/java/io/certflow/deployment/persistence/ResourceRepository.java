package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Resources, always queried with the owning account. */
public interface ResourceRepository extends MongoRepository<Resource, String> {

    Optional<Resource> findByIdAndAccountId(String id, String accountId);

    List<Resource> findByAccountIdOrderByNameAsc(String accountId);

    List<Resource> findByAccountIdAndIdIn(String accountId, Collection<String> ids);

    List<Resource> findByAccountIdAndCredentialId(String accountId, String credentialId);

    long countByAccountIdAndCredentialId(String accountId, String credentialId);

    boolean existsByAccountIdAndName(String accountId, String name);
}
