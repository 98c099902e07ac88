package io.certflow.issuance.persistence;

import io.certflow.events.v1.CertificateRevoked;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.SealedSecret;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One issued certificate version (a serial) of a managed certificate: the public chain, its facts,
 * and the private key sealed under envelope encryption. Exists so that deployment-service can fetch
 * the bundle of exactly the serial an event named, long after the attempt finished. A revocation is
 * recorded here, with its {@code CertificateRevoked} in the same write.
 */
@Document("certificate_versions")
public class CertificateVersion extends Aggregate {

    @Indexed
    private String certificateId;
    private String serialNumber;
    private String attemptId;
    private String certificateChainPem;
    private SealedSecret privateKey;
    private String keyAlgorithm;
    private String keyType;
    private String fingerprintSha256;
    private Instant notBefore;
    private Instant notAfter;
    private String issuer;
    private List<String> domains;
    private String replacesSerialNumber;
    private Instant issuedAt;
    private Instant revokedAt;
    private String revocationReason;

    protected CertificateVersion() {
    }

    private CertificateVersion(String id, String accountId) {
        super(id, accountId);
    }

    /** The id of a version: certificate and serial. */
    public static String idOf(String certificateId, String serialNumber) {
        return certificateId + ":" + serialNumber;
    }

    /** The version of a downloaded chain issued by {@code attempt}, with the attempt's sealed key. */
    public static CertificateVersion of(IssuanceAttempt attempt, CertificateChain chain, String keyAlgorithm, Instant now) {
        CertificateVersion v = new CertificateVersion(idOf(attempt.getCertificateId(), chain.serialNumber()),
                attempt.getAccountId());
        v.certificateId = attempt.getCertificateId();
        v.serialNumber = chain.serialNumber();
        v.attemptId = attempt.getId();
        v.certificateChainPem = chain.pem();
        v.privateKey = attempt.getCertificateKey();
        v.keyAlgorithm = keyAlgorithm;
        v.keyType = attempt.getKeyType();
        v.fingerprintSha256 = chain.fingerprintSha256();
        v.notBefore = chain.notBefore();
        v.notAfter = chain.notAfter();
        v.issuer = chain.issuer();
        v.domains = chain.dnsNames();
        v.replacesSerialNumber = attempt.getReplacesSerialNumber();
        v.issuedAt = now;
        return v;
    }

    /**
     * The CA revoked this version: records when and why, and raises {@code CertificateRevoked} in the
     * same write. Does nothing if it is recorded as revoked already.
     *
     * @param reason the RFC 5280 reason name
     * @return whether this call recorded it
     */
    public boolean revoked(String reason, Instant now) {
        if (revokedAt != null) {
            return false;
        }
        revokedAt = now;
        revocationReason = reason;
        raise(new CertificateRevoked(UUID.randomUUID(), now, getAccountId(), certificateId, serialNumber, reason, now));
        return true;
    }

    /** Whether the revocation of this version is recorded. */
    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** When it was revoked, or null. */
    public Instant getRevokedAt() {
        return revokedAt;
    }

    /** The RFC 5280 reason name of its revocation, or null. */
    public String getRevocationReason() {
        return revocationReason;
    }

    /** The sealing context of this version's private key (that of the attempt that made it). */
    public String keyContext() {
        return IssuanceAttempt.keyContext(certificateId, attemptId);
    }

    public String getCertificateId() {
        return certificateId;
    }

    public String getSerialNumber() {
        return serialNumber;
    }

    public String getAttemptId() {
        return attemptId;
    }

    public String getCertificateChainPem() {
        return certificateChainPem;
    }

    public SealedSecret getPrivateKey() {
        return privateKey;
    }

    public String getKeyAlgorithm() {
        return keyAlgorithm;
    }

    public String getKeyType() {
        return keyType;
    }

    public String getFingerprintSha256() {
        return fingerprintSha256;
    }

    public Instant getNotBefore() {
        return notBefore;
    }

    public Instant getNotAfter() {
        return notAfter;
    }

    public String getIssuer() {
        return issuer;
    }

    public List<String> getDomains() {
        return domains;
    }

    public String getReplacesSerialNumber() {
        return replacesSerialNumber;
    }

    public Instant getIssuedAt() {
        return issuedAt;
    }

    @Override
    public String toString() {
        return "CertificateVersion[" + getId() + "]";
    }
}
