package io.certflow.issuance.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

/** ACME account records by {@code accountId|caProfile}. */
public interface AcmeAccountRepository extends MongoRepository<AcmeAccountRecord, String> {
}
