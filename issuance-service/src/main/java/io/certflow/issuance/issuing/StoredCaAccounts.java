package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AcmeAccountRecord;
import io.certflow.issuance.persistence.AcmeAccountRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Base64;

/**
 * CA accounts kept in {@link AcmeAccountRecord}s: the key is generated and stored (sealed) first,
 * then registered; the record is reused for every later order of the same certflow account and
 * profile.
 */
public class StoredCaAccounts implements CaAccounts {

    private static final Logger log = LoggerFactory.getLogger(StoredCaAccounts.class);
    private static final KeyType ACCOUNT_KEY_TYPE = KeyType.EC_P256;

    private final AcmeAccountRepository repository;
    private final KeyVault vault;
    private final Clock clock;

    public StoredCaAccounts(AcmeAccountRepository repository, KeyVault vault, Clock clock) {
        this.repository = repository;
        this.vault = vault;
        this.clock = clock;
    }

    @Override
    public CaAccount accountFor(String accountId, CaProfile profile) throws CaException {
        String id = AcmeAccountRecord.idOf(accountId, profile.name());
        AcmeAccountRecord record = repository.findById(id).orElseGet(() -> createKey(accountId, profile));
        KeyPair key = vault.openKeyPair(record.getAccountKey(), Base64.getDecoder().decode(record.getPublicKey()),
                record.getKeyAlgorithm(), record.keyContext());
        if (record.registeredAt(profile.directoryUrl())) {
            return new CaAccount(URI.create(record.getAccountUrl()), key);
        }
        CaAccount account = profile.authority().registerAccount(key, profile.contactEmail());
        record.registered(profile.directoryUrl(), account.accountUrl().toString(), clock.instant());
        try {
            repository.save(record);
        } catch (OptimisticLockingFailureException e) {
            log.debug("account {} registered concurrently (same key, same account)", id);
        }
        return account;
    }

    @Override
    public void forget(String accountId, CaProfile profile) {
        repository.findById(AcmeAccountRecord.idOf(accountId, profile.name())).ifPresent(record -> {
            record.registered(null, null, clock.instant());
            try {
                repository.save(record);
            } catch (OptimisticLockingFailureException e) {
                log.debug("account {} changed concurrently", record.getId());
            }
        });
    }

    private AcmeAccountRecord createKey(String accountId, CaProfile profile) {
        KeyPair key = ACCOUNT_KEY_TYPE.generate();
        String id = AcmeAccountRecord.idOf(accountId, profile.name());
        AcmeAccountRecord fresh = AcmeAccountRecord.withKey(accountId, profile.name(), ACCOUNT_KEY_TYPE.algorithm(),
                vault.seal(key.getPrivate(), AcmeAccountRecord.keyContextOf(id)),
                Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), clock.instant());
        try {
            return repository.insert(fresh);
        } catch (DuplicateKeyException e) {
            return repository.findById(id).orElseThrow(() -> e);
        }
    }
}
