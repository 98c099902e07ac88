package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AcmeAccountRecord;
import io.certflow.issuance.persistence.AcmeAccountRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;

import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Rolls the ACME account key of one certflow account at one CA profile over to a fresh key, on a
 * person's request (one short exchange with the CA; never called from a Kafka listener).
 *
 * <p>Crash-safe without transactions: the new key is sealed and stored as <em>pending</em> before the CA
 * is asked; once the CA agreed it becomes the account key. A crash (or a lost answer) in between leaves
 * the pending key, which {@link StoredCaAccounts} settles on next use by asking the CA which key it
 * holds. A refusal drops the pending key; a transient failure keeps it, since the CA may have changed
 * the key before the answer was lost.
 */
public class AccountKeyRollover {

    private static final Logger log = LoggerFactory.getLogger(AccountKeyRollover.class);

    private final AcmeAccountRepository repository;
    private final StoredCaAccounts accounts;
    private final KeyVault vault;
    private final Clock clock;

    public AccountKeyRollover(AcmeAccountRepository repository, StoredCaAccounts accounts, KeyVault vault, Clock clock) {
        this.repository = repository;
        this.accounts = accounts;
        this.vault = vault;
        this.clock = clock;
    }

    /** What a rollover ended in. */
    public sealed interface Outcome {
        /** The CA holds the new key now. */
        record RolledOver(CaAccountView account) implements Outcome {
        }

        /** The account has no ACME account at the profile yet (it is created with the first order). */
        record NoAccount() implements Outcome {
        }

        /** Another rollover of the same account is still in flight. */
        record InProgress(Instant since) implements Outcome {
        }

        /** The CA refused; nothing changed. */
        record Refused(CaProblem problem) implements Outcome {
        }

        /** The CA could not be asked, or its answer was lost; the new key stays pending and is settled later. */
        record Unavailable(String message, Instant retryAfter) implements Outcome {
        }
    }

    /** Rolls the key of {@code accountId}'s account at {@code profile} over. */
    public Outcome rollOver(String accountId, CaProfile profile) {
        String id = AcmeAccountRecord.idOf(accountId, profile.name());
        Optional<AcmeAccountRecord> found = repository.findById(id).filter(r -> r.registeredAt(profile.directoryUrl()));
        if (found.isEmpty()) {
            return new Outcome.NoAccount();
        }
        AcmeAccountRecord record = found.get();
        Instant now = clock.instant();
        try {
            if (record.hasPendingKey()) {
                if (record.getPendingSince().plus(StoredCaAccounts.PENDING_GRACE).isAfter(now)) {
                    return new Outcome.InProgress(record.getPendingSince());
                }
                record = accounts.settlePendingKey(record, profile);
            }
            KeyPair current = vault.openKeyPair(record.getAccountKey(), Base64.getDecoder().decode(record.getPublicKey()),
                    record.getKeyAlgorithm(), record.keyContext());
            KeyPair next = StoredCaAccounts.ACCOUNT_KEY_TYPE.generate();
            String nextPublic = Base64.getEncoder().encodeToString(next.getPublic().getEncoded());
            record.keyPending(StoredCaAccounts.ACCOUNT_KEY_TYPE.algorithm(), vault.seal(next.getPrivate(), record.keyContext()),
                    nextPublic, now);
            try {
                record = repository.save(record);
            } catch (OptimisticLockingFailureException e) {
                return new Outcome.InProgress(now);
            }
            try {
                profile.authority().changeAccountKey(new CaAccount(URI.create(record.getAccountUrl()), current), next);
            } catch (CaRefusedException e) {
                log.info("account {}: the CA refused the key rollover: {}", id, e.getMessage());
                record.pendingKeyDropped();
                save(record);
                return new Outcome.Refused(e.problem());
            }
            record.pendingKeyConfirmed(clock.instant());
            if (!save(record)) {
                log.warn("account {}: rolled over at the CA, but the record changed meanwhile; settled on next use", id);
            }
            log.info("account {}: account key rolled over at {}", id, profile.name());
            return new Outcome.RolledOver(accounts.describe(accountId, profile).orElseThrow());
        } catch (CaTransientException e) {
            log.info("account {}: key rollover not confirmed by the CA: {}", id, e.getMessage());
            return new Outcome.Unavailable(e.getMessage(), e.retryAfter().orElse(null));
        } catch (CaRefusedException e) {
            return new Outcome.Refused(e.problem());
        } catch (CaException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean save(AcmeAccountRecord record) {
        try {
            repository.save(record);
            return true;
        } catch (OptimisticLockingFailureException e) {
            return false;
        }
    }
}
