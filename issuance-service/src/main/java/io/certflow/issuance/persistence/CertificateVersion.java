package io.certflow.issuance.persistence;

import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.issuance.ca.RenewalWindow;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.platform.secrets.SealedSecret;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One issued certificate version (a serial) of a managed certificate: the public chain, its facts,
 * and the private key sealed under envelope encryption. Exists so that deployment-service can fetch
 * the bundle of exactly the serial an event named, long after the attempt finished. A revocation is
 * recorded here, with its {@code CertificateRevoked} in the same write (and a revocation asked for by a cancelled
 * order waits here until the CA took it: {@code nextRevocationTryAt}); so is the renewal window the CA
 * suggests (RFC 9773 ARI), with when to ask again and a {@code RenewalWindowChanged} when it moved.
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
    private Instant renewalWindowStart;
    private Instant renewalWindowEnd;
    private String renewalExplanationUrl;
    private Instant renewalInfoFetchedAt;
    @Indexed
    private Instant nextRenewalInfoCheckAt;
    private String revocationRequestedReason;
    private Instant revocationRequestedAt;
    @Indexed(sparse = true)
    private Instant nextRevocationTryAt;
    private int revocationTries;
    private String revocationProblem;

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
        nextRevocationTryAt = null;
        raise(new CertificateRevoked(UUID.randomUUID(), now, getAccountId(), certificateId, serialNumber, reason, now));
        return true;
    }

    /**
     * Asks for this version to be revoked at its CA later (by {@code PendingRevocations}, never on the caller's
     * thread): the version becomes due at once. Does nothing if it is revoked, expired, or already asked for.
     *
     * @param reason the RFC 5280 reason name the CA will be given
     * @return whether this call asked for it
     */
    public boolean requestRevocation(String reason, Instant now) {
        if (!isValidAt(now) || revocationRequestedAt != null) {
            return false;
        }
        revocationRequestedReason = reason;
        revocationRequestedAt = now;
        nextRevocationTryAt = now;
        revocationTries = 0;
        revocationProblem = null;
        return true;
    }

    /** Another instance may not try this version's requested revocation before {@code until}. */
    public void claimRevocation(Instant until) {
        nextRevocationTryAt = until;
    }

    /**
     * The CA could not be asked (down, 5xx, rate limited): the requested revocation is tried again at {@code next}.
     *
     * @param problem what happened, for people (no secrets)
     */
    public void revocationPostponed(Instant next, String problem) {
        revocationTries++;
        nextRevocationTryAt = next;
        revocationProblem = problem;
    }

    /**
     * The CA refused the requested revocation for good (not "already revoked", which is recorded as revoked):
     * it is not tried again, and the problem stays on the version.
     */
    public void revocationRefused(String problem) {
        revocationTries++;
        nextRevocationTryAt = null;
        revocationProblem = problem;
    }

    /**
     * The window the CA suggested when the version was issued (no event: {@code CertificateIssued} carries it).
     *
     * @param window      the window, or null when the CA gave none
     * @param nextCheckAt when to ask the CA again, or null: never
     */
    public CertificateVersion withRenewalWindow(RenewalWindow window, Instant nextCheckAt, Instant fetchedAt) {
        setWindow(window);
        renewalInfoFetchedAt = window == null ? null : fetchedAt;
        nextRenewalInfoCheckAt = nextCheckAt;
        return this;
    }

    /** Another instance may not check this version's window before {@code until}. */
    public void claimRenewalInfoCheck(Instant until) {
        nextRenewalInfoCheckAt = until;
    }

    /** The window is not followed any more (the version was superseded, revoked or expired). */
    public void stopRenewalInfoChecks() {
        nextRenewalInfoCheckAt = null;
    }

    /**
     * The CA was asked for the window. A window different from the stored one (or the first one) is stored
     * and raises {@code RenewalWindowChanged} in the same write; no window (no answer this time) keeps the
     * stored one.
     *
     * @param window      the CA's window, or null when it gave none
     * @param nextCheckAt when to ask again, or null: never
     * @return whether the window changed
     */
    public boolean renewalInfoChecked(RenewalWindow window, Instant nextCheckAt, Instant now) {
        nextRenewalInfoCheckAt = nextCheckAt;
        if (window == null) {
            return false;
        }
        renewalInfoFetchedAt = now;
        if (window.equals(renewalWindow())) {
            return false;
        }
        setWindow(window);
        raise(new RenewalWindowChanged(UUID.randomUUID(), now, getAccountId(), certificateId, serialNumber,
                window.start(), window.end(), renewalExplanationUrl, now));
        return true;
    }

    /** The stored window, or null. */
    public RenewalWindow renewalWindow() {
        return renewalWindowStart == null ? null : new RenewalWindow(renewalWindowStart, renewalWindowEnd,
                renewalExplanationUrl == null ? null : URI.create(renewalExplanationUrl));
    }

    private void setWindow(RenewalWindow window) {
        renewalWindowStart = window == null ? null : window.start();
        renewalWindowEnd = window == null ? null : window.end();
        renewalExplanationUrl = window == null || window.explanationUrl() == null ? null
                : Objects.toString(window.explanationUrl());
    }

    public Instant getRenewalWindowStart() {
        return renewalWindowStart;
    }

    public Instant getRenewalWindowEnd() {
        return renewalWindowEnd;
    }

    public String getRenewalExplanationUrl() {
        return renewalExplanationUrl;
    }

    public Instant getRenewalInfoFetchedAt() {
        return renewalInfoFetchedAt;
    }

    public Instant getNextRenewalInfoCheckAt() {
        return nextRenewalInfoCheckAt;
    }

    /** Whether this version still certifies at {@code now}: not revoked (as far as certflow knows) nor expired. */
    public boolean isValidAt(Instant now) {
        return revokedAt == null && notAfter.isAfter(now);
    }

    /** Whether the revocation of this version is recorded. */
    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** The reason name of a revocation asked for (by a cancellation), or null. */
    public String getRevocationRequestedReason() {
        return revocationRequestedReason;
    }

    /** When a revocation was asked for, or null. */
    public Instant getRevocationRequestedAt() {
        return revocationRequestedAt;
    }

    /** When the requested revocation is tried (again), or null: none pending. */
    public Instant getNextRevocationTryAt() {
        return nextRevocationTryAt;
    }

    /** How many times the CA was asked for the requested revocation without success. */
    public int getRevocationTries() {
        return revocationTries;
    }

    /** The last problem of the requested revocation (the CA down or refusing), or null. */
    public String getRevocationProblem() {
        return revocationProblem;
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
