package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AcmeAccountRecord;
import io.certflow.issuance.persistence.AcmeAccountRepository;
import io.certflow.testsupport.SettableClock;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.net.URI;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account key rollover on the Mongo wire server with a CA that keeps one key per account and can lose its
 * answer or refuse: whatever happens between storing the pending key and confirming it, the next use of
 * the account signs with the key the CA holds.
 */
class AccountKeyRolloverTest {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");
    private static final URI ACCOUNT_URL = URI.create("https://ca.test/acct/1");
    private InMemoryMongo store;
    private AcmeAccountRepository repository;
    private StoredCaAccounts accounts;
    private AccountKeyRollover rollover;
    private Instant now = T0;
    private final KeyCa ca = new KeyCa();
    private final CaProfile profile = new CaProfile("p", "https://ca.test/dir", ca, Optional.empty());

    @BeforeEach
    void setUp() {
        store = InMemoryMongo.start("rollover-test");
        MongoTemplate mongo = store.template();
        repository = new MongoRepositoryFactory(mongo).getRepository(AcmeAccountRepository.class);
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        KeyVault vault = new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(kek)));
        Clock clock = SettableClock.reading(() -> now);
        accounts = new StoredCaAccounts(repository, vault, clock);
        rollover = new AccountKeyRollover(repository, accounts, vault, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void withoutAnAccountThereIsNothingToRollOver() {
        assertThat(rollover.rollOver("acc", profile)).isInstanceOf(AccountKeyRollover.Outcome.NoAccount.class);
    }

    @Test
    void aConfirmedRolloverMakesTheNewKeyCurrent_theUrlStays() throws Exception {
        CaAccount before = accounts.accountFor("acc", profile);

        AccountKeyRollover.Outcome outcome = rollover.rollOver("acc", profile);

        assertThat(outcome).isInstanceOfSatisfying(AccountKeyRollover.Outcome.RolledOver.class, r -> {
            assertThat(r.account().accountUrl()).isEqualTo(ACCOUNT_URL.toString());
            assertThat(r.account().lastKeyRollover()).isEqualTo(T0);
            assertThat(r.account().keyAlgorithm()).isEqualTo("EC_P256");
            assertThat(r.account().rolloverPending()).isFalse();
        });
        CaAccount after = accounts.accountFor("acc", profile);
        assertThat(after.accountUrl()).isEqualTo(before.accountUrl());
        assertThat(after.keyPair().getPublic()).isEqualTo(ca.currentKey).isNotEqualTo(before.keyPair().getPublic());
    }

    @Test
    void aLostAnswerKeepsThePendingKey_whichIsSettledToTheKeyTheCaHolds() throws Exception {
        CaAccount before = accounts.accountFor("acc", profile);
        ca.loseNextAnswer = true;

        assertThat(rollover.rollOver("acc", profile)).isInstanceOf(AccountKeyRollover.Outcome.Unavailable.class);
        assertThat(stored().hasPendingKey()).isTrue();
        assertThat(rollover.rollOver("acc", profile)).as("a second rollover while one is in flight")
                .isInstanceOf(AccountKeyRollover.Outcome.InProgress.class);
        assertThat(accounts.accountFor("acc", profile).keyPair().getPublic()).as("left alone during the grace period")
                .isEqualTo(before.keyPair().getPublic());
        accounts.forget("acc", profile); // the CA refused the old key as an unknown account
        assertThat(stored().getAccountUrl()).as("not re-registered with the old key").isEqualTo(ACCOUNT_URL.toString());

        now = now.plus(Duration.ofMinutes(3));
        CaAccount settled = accounts.accountFor("acc", profile);

        assertThat(settled.keyPair().getPublic()).isEqualTo(ca.currentKey).isNotEqualTo(before.keyPair().getPublic());
        assertThat(settled.accountUrl()).isEqualTo(ACCOUNT_URL);
        assertThat(stored().hasPendingKey()).isFalse();
        assertThat(stored().getKeyRolledOverAt()).isEqualTo(now);
    }

    @Test
    void aCrashBeforeTheCaWasAskedDropsThePendingKey_andARefusalChangesNothing() throws Exception {
        CaAccount before = accounts.accountFor("acc", profile);
        ca.refuseNext = true;

        assertThat(rollover.rollOver("acc", profile)).isInstanceOfSatisfying(AccountKeyRollover.Outcome.Refused.class,
                r -> assertThat(r.problem().type()).isEqualTo("urn:ietf:params:acme:error:malformed"));
        assertThat(stored().hasPendingKey()).isFalse();

        // a crash right after the pending key was stored: the CA never heard of it
        AcmeAccountRecord record = stored();
        KeyPair orphan = StoredCaAccounts.ACCOUNT_KEY_TYPE.generate();
        record.keyPending("EC", stored().getAccountKey(), Base64.getEncoder().encodeToString(orphan.getPublic().getEncoded()), now);
        repository.save(record);
        now = now.plus(Duration.ofMinutes(3));

        assertThat(accounts.accountFor("acc", profile).keyPair().getPublic()).isEqualTo(before.keyPair().getPublic())
                .isEqualTo(ca.currentKey);
        assertThat(stored().hasPendingKey()).isFalse();
        assertThat(stored().getKeyRolledOverAt()).isNull();
    }

    private AcmeAccountRecord stored() {
        return repository.findById(AcmeAccountRecord.idOf("acc", "p")).orElseThrow();
    }

    /** A CA with one account whose key can change; it can lose its answer after changing, or refuse. */
    static final class KeyCa extends FakeCertificateAuthority {
        PublicKey currentKey;
        boolean loseNextAnswer;
        boolean refuseNext;

        @Override
        public CaAccount registerAccount(KeyPair accountKey, Optional<String> contactEmail) {
            currentKey = accountKey.getPublic();
            return new CaAccount(ACCOUNT_URL, accountKey);
        }

        @Override
        public void changeAccountKey(CaAccount account, KeyPair newKey) throws CaException {
            if (refuseNext) {
                refuseNext = false;
                throw new CaRefusedException(new CaProblem("urn:ietf:params:acme:error:malformed", "no"), false);
            }
            if (!account.keyPair().getPublic().equals(currentKey)) {
                throw new CaRefusedException(new CaProblem("urn:ietf:params:acme:error:unauthorized", "wrong key"), true);
            }
            currentKey = newKey.getPublic();
            if (loseNextAnswer) {
                loseNextAnswer = false;
                throw new CaTransientException("change account key: network error", "urn:certflow:issuance:ca:network", null, null);
            }
        }

        @Override
        public Optional<URI> findAccount(KeyPair accountKey) {
            return accountKey.getPublic().equals(currentKey) ? Optional.of(ACCOUNT_URL) : Optional.empty();
        }
    }
}
