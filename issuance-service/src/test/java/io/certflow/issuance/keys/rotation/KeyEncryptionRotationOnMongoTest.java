package io.certflow.issuance.keys.rotation;

import io.certflow.issuance.keys.CertificateChain;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.issuance.keys.KeyEncoding;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.platform.secrets.SecretDecryptionException;
import io.certflow.issuance.persistence.AcmeAccountRecord;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.MongoSealedSecrets;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotating the key-encryption key on the stored documents (Mongo wire server): every kind of sealed key is
 * re-sealed under the new KEK, stays the same key, and opens once the old KEK is gone.
 */
class KeyEncryptionRotationOnMongoTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    private final KeyEncryptionKey oldKek = kek();
    private final KeyEncryptionKey newKek = kek();
    private InMemoryMongo store;
    private MongoTemplate mongo;

    @BeforeEach
    void setUp() {
        store = InMemoryMongo.start("rotation-test");
        mongo = store.template();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void everySealedKeyIsResealedUnderTheNewKek_andOpensWithoutTheOldOne() throws Exception {
        KeyVault before = new KeyVault(new EnvelopeEncryption(oldKek));
        KeyPair accountKey = KeyType.EC_P256.generate();
        KeyPair certificateKey = KeyType.RSA_2048.generate();
        String accountRecordId = storeAccount(before, accountKey);
        IssuanceAttempt attempt = storeAttemptAndVersion(before, certificateKey);

        EnvelopeEncryption rotated = new EnvelopeEncryption(newKek, List.of(oldKek));
        KeyEncryptionRotation rotation = new KeyEncryptionRotation(rotated, new MongoSealedSecrets(mongo), 100);
        assertThat(rotation.status().sealedUnderOlderKeys()).containsEntry("acme-account-key", 1L)
                .containsEntry("certificate-version-key", 1L).containsEntry("attempt-key", 1L);

        KeyEncryptionRotation.Pass pass = rotation.resealAll();

        assertThat(pass.resealed()).isEqualTo(3);
        assertThat(rotation.status().remaining()).isZero();
        KeyVault onlyNew = new KeyVault(new EnvelopeEncryption(newKek));
        AcmeAccountRecord account = mongo.findById(accountRecordId, AcmeAccountRecord.class);
        assertThat(account.getAccountKey().keyId()).isEqualTo(newKek.id());
        assertThat(onlyNew.openPrivateKey(account.getAccountKey(), "EC", account.keyContext()).getEncoded())
                .isEqualTo(accountKey.getPrivate().getEncoded());
        CertificateVersion version = mongo.findAll(CertificateVersion.class).get(0);
        assertThat(onlyNew.openPrivateKey(version.getPrivateKey(), "RSA", version.keyContext()).getEncoded())
                .isEqualTo(certificateKey.getPrivate().getEncoded());
        IssuanceAttempt storedAttempt = mongo.findById(attempt.getId(), IssuanceAttempt.class);
        assertThat(onlyNew.openPrivateKey(storedAttempt.getCertificateKey(), "RSA",
                IssuanceAttempt.keyContext(storedAttempt.getCertificateId(), storedAttempt.getId())).getEncoded())
                .isEqualTo(certificateKey.getPrivate().getEncoded());
        // the rest of each document is untouched
        assertThat(version.getSerialNumber()).isNotBlank();
        assertThat(account.getCaProfile()).isEqualTo("default");

        assertThat(rotation.resealAll().resealed()).as("a second run finds nothing").isZero();
    }

    @Test
    void aSecretUnderAnUnconfiguredKekIsCountedButLeftAlone() throws Exception {
        KeyEncryptionKey lost = kek();
        String id = storeAccount(new KeyVault(new EnvelopeEncryption(lost)), KeyType.EC_P256.generate());
        EnvelopeEncryption rotated = new EnvelopeEncryption(newKek, List.of(oldKek));
        KeyEncryptionRotation rotation = new KeyEncryptionRotation(rotated, new MongoSealedSecrets(mongo), 100);

        assertThat(rotation.resealAll().resealed()).isZero();

        assertThat(rotation.status().sealedUnderOlderKeys()).containsEntry("acme-account-key", 1L);
        assertThat(mongo.findById(id, AcmeAccountRecord.class).getAccountKey().keyId()).isEqualTo(lost.id());
    }

    @Test
    void aSecretChangedSinceItWasReadIsNotOverwritten() throws Exception {
        String id = storeAccount(new KeyVault(new EnvelopeEncryption(oldKek)), KeyType.EC_P256.generate());
        EnvelopeEncryption rotated = new EnvelopeEncryption(newKek, List.of(oldKek));
        MongoSealedSecrets secrets = new MongoSealedSecrets(mongo);
        SealedSecrets.Stored read = secrets.sealedUnder(rotated.previousKeyIds(), 10).get(0);
        // meanwhile the account key is replaced (e.g. a key rollover) under the old KEK
        KeyPair rolled = KeyType.EC_P256.generate();
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().set("accountKey",
                new EnvelopeEncryption(oldKek).seal(rolled.getPrivate().getEncoded(), AcmeAccountRecord.keyContextOf(id))),
                AcmeAccountRecord.class);

        boolean replaced = secrets.replaceIfUnchanged(read, rotated.resealUnderCurrentKey(read.sealed(), read.context()).orElseThrow());

        assertThat(replaced).isFalse();
        AcmeAccountRecord account = mongo.findById(id, AcmeAccountRecord.class);
        assertThat(new KeyVault(rotated).openPrivateKey(account.getAccountKey(), "EC", account.keyContext()).getEncoded())
                .isEqualTo(rolled.getPrivate().getEncoded());
    }

    @Test
    void theOldKekIsNeededUntilTheRotationRan() {
        String id = storeAccount(new KeyVault(new EnvelopeEncryption(oldKek)), KeyType.EC_P256.generate());
        AcmeAccountRecord account = mongo.findById(id, AcmeAccountRecord.class);
        assertThatThrownBy(() -> new KeyVault(new EnvelopeEncryption(newKek))
                .openPrivateKey(account.getAccountKey(), "EC", account.keyContext()))
                .isInstanceOf(SecretDecryptionException.class).hasMessageContaining("not configured");
    }

    private String storeAccount(KeyVault vault, KeyPair key) {
        String accountId = "acc-" + UUID.randomUUID();
        String id = AcmeAccountRecord.idOf(accountId, "default");
        AcmeAccountRecord record = AcmeAccountRecord.withKey(accountId, "default", "EC", vault.seal(key.getPrivate(), AcmeAccountRecord.keyContextOf(id)),
                Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), NOW);
        mongo.insert(record);
        return record.getId();
    }

    private IssuanceAttempt storeAttemptAndVersion(KeyVault vault, KeyPair key) throws Exception {
        String certificateId = "cert-" + UUID.randomUUID();
        IssuanceAttempt attempt = IssuanceAttempt.start("att-" + UUID.randomUUID(), "acc", certificateId, UUID.randomUUID(),
                AttemptTrigger.FIRST_ISSUANCE, List.of("example.test"), "RSA_2048", "default", null, NOW);
        attempt.orderPlaced("https://ca.test/order/1", List.of(), NOW, NOW);
        attempt.keyCreated(vault.seal(key.getPrivate(), IssuanceAttempt.keyContext(certificateId, attempt.getId())),
                Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), NOW);
        mongo.insert(attempt);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Test CA"), BigInteger.valueOf(4242),
                Date.from(NOW), Date.from(NOW.plusSeconds(86400)), new X500Name("CN=example.test"), key.getPublic());
        String pem = KeyEncoding.pem("CERTIFICATE", new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()))).getEncoded());
        mongo.insert(CertificateVersion.of(attempt, CertificateChain.parse(pem), "RSA", NOW));
        return attempt;
    }

    private static KeyEncryptionKey kek() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return KeyEncryptionKey.of(raw);
    }
}
