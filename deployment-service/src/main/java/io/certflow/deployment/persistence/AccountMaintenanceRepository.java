package io.certflow.deployment.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

/** Each account's maintenance windows, by account id. */
public interface AccountMaintenanceRepository extends MongoRepository<AccountMaintenance, String> {
}
