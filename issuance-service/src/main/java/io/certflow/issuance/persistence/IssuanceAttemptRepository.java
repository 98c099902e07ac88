package io.certflow.issuance.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.Collection;
import java.util.List;

/** Issuance attempts by id, by certificate and by state. */
public interface IssuanceAttemptRepository extends MongoRepository<IssuanceAttempt, String> {

    List<IssuanceAttempt> findByCertificateIdAndAccountIdOrderByCreatedAtAsc(String certificateId, String accountId);

    List<IssuanceAttempt> findByCertificateIdAndStateIn(String certificateId, Collection<AttemptState> states);

    boolean existsByCertificateIdAndStateIn(String certificateId, Collection<AttemptState> states);

    long countByCertificateId(String certificateId);
}
