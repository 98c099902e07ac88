package io.certflow.hosting.persistence;

import io.certflow.hosting.maintenance.AccountSettings;
import org.springframework.data.mongodb.repository.MongoRepository;

/** Each account's hosting settings, by account id. */
public interface AccountSettingsRepository extends MongoRepository<AccountSettings, String> {
}
