package io.certflow.issuance.persistence;

import io.certflow.platform.secrets.SealedSecret;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/**
 * The CA account of one certflow account at one CA profile: the account key (sealed), its public
 * half, and the account URL once registered. Created once and reused for every order, so the CA sees
 * one account per customer (rate limits, ARI and revocation belong to it).
 *
 * <p>The key is stored before registering, and registering the same key again returns the same
 * account, so a crash between the two steps loses nothing. A key rollover works the same way: the new
 * key is stored as <em>pending</em> before the CA is asked to change it, becomes current once the CA
 * agreed, and a pending key left by a crash is settled by asking the CA which key it knows.
 */
@Document("acme_accounts")
public class AcmeAccountRecord extends Aggregate {

    private String caProfile;
    private String directoryUrl;
    private String accountUrl;
    private String keyAlgorithm;
    private SealedSecret accountKey;
    private String publicKey;
    private Instant createdAt;
    private Instant registeredAt;
    private String pendingKeyAlgorithm;
    private SealedSecret pendingAccountKey;
    private String pendingPublicKey;
    private Instant pendingSince;
    private Instant keyRolledOverAt;

    protected AcmeAccountRecord() {
    }

    private AcmeAccountRecord(String id, String accountId) {
        super(id, accountId);
    }

    /** The id of the record of {@code accountId} at {@code caProfile}. */
    public static String idOf(String accountId, String caProfile) {
        return accountId + "|" + caProfile;
    }

    /** A record with a fresh sealed key, not registered yet. */
    public static AcmeAccountRecord withKey(String accountId, String caProfile, String keyAlgorithm,
                                            SealedSecret accountKey, String publicKeyBase64, Instant now) {
        AcmeAccountRecord r = new AcmeAccountRecord(idOf(accountId, caProfile), accountId);
        r.caProfile = caProfile;
        r.keyAlgorithm = keyAlgorithm;
        r.accountKey = accountKey;
        r.publicKey = publicKeyBase64;
        r.createdAt = now;
        return r;
    }

    /** The sealing context of the account key. */
    public String keyContext() {
        return keyContextOf(getId());
    }

    /** The sealing context of the key of the record with this id. */
    public static String keyContextOf(String id) {
        return "acme-account-key:" + id;
    }

    /** Whether the account is registered at {@code directoryUrl} (a changed directory needs a new registration). */
    public boolean registeredAt(String directoryUrl) {
        return accountUrl != null && directoryUrl != null && directoryUrl.equals(this.directoryUrl);
    }

    /** The CA registered the account (or, with nulls, forgot it). */
    public void registered(String directoryUrl, String accountUrl, Instant now) {
        this.directoryUrl = directoryUrl;
        this.accountUrl = accountUrl;
        this.registeredAt = now;
    }

    /** A new account key is about to be sent to the CA (stored first, so that a crash cannot lose it). */
    public void keyPending(String keyAlgorithm, SealedSecret accountKey, String publicKeyBase64, Instant now) {
        this.pendingKeyAlgorithm = keyAlgorithm;
        this.pendingAccountKey = accountKey;
        this.pendingPublicKey = publicKeyBase64;
        this.pendingSince = now;
    }

    /** Whether a rolled-over key waits to be confirmed. */
    public boolean hasPendingKey() {
        return pendingAccountKey != null;
    }

    /** The CA holds the pending key: it becomes the account key. */
    public void pendingKeyConfirmed(Instant now) {
        this.keyAlgorithm = pendingKeyAlgorithm;
        this.accountKey = pendingAccountKey;
        this.publicKey = pendingPublicKey;
        this.keyRolledOverAt = now;
        pendingKeyDropped();
    }

    /** The CA never took the pending key: forget it. */
    public void pendingKeyDropped() {
        this.pendingKeyAlgorithm = null;
        this.pendingAccountKey = null;
        this.pendingPublicKey = null;
        this.pendingSince = null;
    }

    public String getCaProfile() {
        return caProfile;
    }

    public String getDirectoryUrl() {
        return directoryUrl;
    }

    public String getAccountUrl() {
        return accountUrl;
    }

    public String getKeyAlgorithm() {
        return keyAlgorithm;
    }

    public SealedSecret getAccountKey() {
        return accountKey;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getRegisteredAt() {
        return registeredAt;
    }

    public String getPendingKeyAlgorithm() {
        return pendingKeyAlgorithm;
    }

    public SealedSecret getPendingAccountKey() {
        return pendingAccountKey;
    }

    public String getPendingPublicKey() {
        return pendingPublicKey;
    }

    public Instant getPendingSince() {
        return pendingSince;
    }

    public Instant getKeyRolledOverAt() {
        return keyRolledOverAt;
    }

    @Override
    public String toString() {
        return "AcmeAccountRecord[" + getId() + ", " + accountUrl + "]";
    }
}
