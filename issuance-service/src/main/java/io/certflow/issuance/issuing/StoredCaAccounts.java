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

import io.certflow.issuance.keys.KeyEncoding;

import java.net.URI;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * CA accounts kept in {@link AcmeAccountRecord}s: the key is generated and stored (sealed) first,
 * then registered; the record is reused for every later order of the same certflow account and
 * profile. A key left pending by an interrupted rollover (see {@link AccountKeyRollover}) is settled
 * here before the account is used: the CA is asked which of the two keys it knows.
 */
public class StoredCaAccounts implements CaAccounts {

    private static final Logger log = LoggerFactory.getLogger(StoredCaAccounts.class);
    static final KeyType ACCOUNT_KEY_TYPE = KeyType.EC_P256;
    /** How long a pending key is left to the rollover that stored it before others settle it. */
    static final Duration PENDING_GRACE = Duration.ofMinutes(2);

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
        if (record.hasPendingKey() && record.registeredAt(profile.directoryUrl())
                && !record.getPendingSince().plus(PENDING_GRACE).isAfter(clock.instant())) {
            record = settlePendingKey(record, profile);
        }
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
            if (record.hasPendingKey()) {
                // after a rollover whose answer was lost the CA refuses the old key: settle the pending key
                // (next use, after the grace period) instead of registering the old key as a new account
                log.info("account {}: not forgotten while a rolled-over key is pending", record.getId());
                return;
            }
            record.registered(null, null, clock.instant());
            try {
                repository.save(record);
            } catch (OptimisticLockingFailureException e) {
                log.debug("account {} changed concurrently", record.getId());
            }
        });
    }

    /** The ACME account of {@code accountId} at {@code profile}, if one was created. */
    public Optional<CaAccountView> describe(String accountId, CaProfile profile) {
        return repository.findById(AcmeAccountRecord.idOf(accountId, profile.name())).map(r -> new CaAccountView(
                r.registeredAt(profile.directoryUrl()) ? r.getAccountUrl() : null, r.getRegisteredAt(), keyName(r),
                r.getKeyRolledOverAt(), r.hasPendingKey()));
    }

    /**
     * Settles the pending key of {@code record}: asks the CA for the account of the pending key; if it is
     * this account the key change went through and the pending key becomes current, otherwise it is
     * dropped. Returns the saved record (or the stored one after a concurrent change).
     */
    AcmeAccountRecord settlePendingKey(AcmeAccountRecord record, CaProfile profile) throws CaException {
        KeyPair pending = vault.openKeyPair(record.getPendingAccountKey(),
                Base64.getDecoder().decode(record.getPendingPublicKey()), record.getPendingKeyAlgorithm(),
                record.keyContext());
        Optional<URI> holder = profile.authority().findAccount(pending);
        if (holder.isPresent() && holder.get().toString().equals(record.getAccountUrl())) {
            log.info("account {}: the CA holds the rolled-over key; it becomes current", record.getId());
            record.pendingKeyConfirmed(clock.instant());
        } else {
            log.info("account {}: the CA never took the pending key; dropping it", record.getId());
            record.pendingKeyDropped();
        }
        try {
            return repository.save(record);
        } catch (OptimisticLockingFailureException e) {
            return repository.findById(record.getId()).orElse(record);
        }
    }

    /** The key type of the account key, from its public half ({@code EC_P256}, {@code RSA_2048}, …). */
    static String keyName(AcmeAccountRecord record) {
        try {
            PublicKey key = KeyEncoding.publicKey(record.getKeyAlgorithm(), Base64.getDecoder().decode(record.getPublicKey()));
            if (key instanceof ECPublicKey ec) {
                return "EC_P" + ec.getParams().getCurve().getField().getFieldSize();
            }
            if (key instanceof RSAPublicKey rsa) {
                return "RSA_" + rsa.getModulus().bitLength();
            }
        } catch (RuntimeException e) {
            log.debug("account {}: unreadable public key", record.getId());
        }
        return record.getKeyAlgorithm();
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
