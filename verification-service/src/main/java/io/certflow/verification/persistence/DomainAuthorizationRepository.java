package io.certflow.verification.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.Collection;
import java.util.List;

/** Spring Data access to {@link DomainAuthorization}s; every lookup is scoped by account. */
public interface DomainAuthorizationRepository extends MongoRepository<DomainAuthorization, String> {

    List<DomainAuthorization> findByAccountIdAndDomainIn(String accountId, Collection<String> domains);
}
