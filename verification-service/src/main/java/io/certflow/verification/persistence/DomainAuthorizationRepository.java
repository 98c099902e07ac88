package io.certflow.verification.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Spring Data access to {@link DomainAuthorization}s; every lookup is scoped by account. */
public interface DomainAuthorizationRepository extends MongoRepository<DomainAuthorization, String> {

    List<DomainAuthorization> findByAccountIdAndCredentialId(String accountId, String credentialId);

    /** Authorizations in these states whose re-check is due, oldest due first. */
    List<DomainAuthorization> findByStateInAndRecheckAtLessThanEqualOrderByRecheckAt(
            Collection<DomainAuthorization.State> states, Instant now, org.springframework.data.domain.Pageable page);
}
