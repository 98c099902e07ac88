package io.certflow.verification.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;
import java.util.Optional;

/** Spring Data access to {@link DnsCredential}s; every lookup is scoped by account. */
public interface DnsCredentialRepository extends MongoRepository<DnsCredential, String> {

    Optional<DnsCredential> findByIdAndAccountId(String id, String accountId);

    List<DnsCredential> findByAccountIdOrderByCreatedAt(String accountId);
}
