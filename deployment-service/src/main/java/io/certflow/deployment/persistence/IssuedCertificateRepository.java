package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.Optional;

/** Issued certificates by certificateId, always queried with the owning account. */
public interface IssuedCertificateRepository extends MongoRepository<IssuedCertificate, String> {

    Optional<IssuedCertificate> findByIdAndAccountId(String id, String accountId);
}
