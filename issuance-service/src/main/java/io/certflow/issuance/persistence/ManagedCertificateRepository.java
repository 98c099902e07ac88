package io.certflow.issuance.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.Optional;

/** Managed certificate records by {@code certificateId}. */
public interface ManagedCertificateRepository extends MongoRepository<ManagedCertificateRecord, String> {

    Optional<ManagedCertificateRecord> findByIdAndAccountId(String id, String accountId);
}
