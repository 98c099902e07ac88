package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.RevocationReason;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.ManagedCertificateRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * Carries out the revocations a cancelled order asked for ({@code OrderCancelled.revoke}; the listener only marks
 * the versions with {@link #request}, see {@link AttemptStarter#orderCancelled}): every {@code revocation-interval}
 * it takes the versions whose {@code nextRevocationTryAt} has come, claims each (a version-checked write that moves
 * that time past a lease, so another instance leaves it alone) and revokes it through {@link Revocations}, the code
 * path of the HTTP API.
 *
 * <p>The CA revoked it, or says it was revoked already: {@link Revocations} recorded it and raised
 * {@code CertificateRevoked} in that write, which also ends the request. The CA could not be reached (down, 5xx,
 * rate limited): tried again after the service's CA backoff ({@link BackoffPolicy}, {@code Retry-After} honoured),
 * capped at its longest wait and never given up, so a request is not lost while the CA is down. The CA refused
 * otherwise: the problem is kept on the version and the request ends (asking again would be refused again).
 */
public class PendingRevocations {

    private static final Logger log = LoggerFactory.getLogger(PendingRevocations.class);
    private static final int SAVE_ATTEMPTS = 3;

    private final MongoTemplate mongo;
    private final CertificateVersionRepository versions;
    private final Revocations revocations;
    private final BackoffPolicy backoff;
    private final Clock clock;
    private final Duration claimLease;
    private final int batchSize;

    public PendingRevocations(MongoTemplate mongo, CertificateVersionRepository versions, Revocations revocations,
                              BackoffPolicy backoff, Clock clock, Duration claimLease, int batchSize) {
        this.mongo = mongo;
        this.versions = versions;
        this.revocations = revocations;
        this.backoff = backoff;
        this.clock = clock;
        this.claimLease = claimLease;
        this.batchSize = batchSize;
    }

    /**
     * Marks every version of the certificate that is still valid (not revoked, not expired) and not marked yet for
     * revocation ({@link Revocations#ON_CANCELLATION}), due at once. Idempotent by the versions' state: a version
     * marked or revoked is left alone.
     *
     * @return how many versions this call marked
     */
    public int request(String certificateId, Instant now) {
        String reason = Revocations.ON_CANCELLATION.rfcName();
        int marked = 0;
        for (CertificateVersion version : versions.findByCertificateIdOrderByNotBeforeDesc(certificateId)) {
            for (int i = 1; i <= SAVE_ATTEMPTS && version != null && version.requestRevocation(reason, now); i++) {
                try {
                    versions.save(version);
                    marked++;
                    log.info("certificate {} serial {}: revocation ({}) requested by the cancelled order",
                            certificateId, version.getSerialNumber(), reason);
                    break;
                } catch (OptimisticLockingFailureException e) {
                    version = versions.findById(version.getId()).orElse(null);
                }
            }
        }
        return marked;
    }

    /** Tries every due requested revocation once; returns how many ended revoked. */
    @Scheduled(fixedDelayString = "${certflow.issuance.revocation-interval:5s}")
    public int revokeDue() {
        Instant now = clock.instant();
        markLateVersions(now);
        List<CertificateVersion> due;
        try {
            due = mongo.find(Query.query(where("nextRevocationTryAt").lte(now))
                    .with(Sort.by("nextRevocationTryAt")).limit(batchSize), CertificateVersion.class);
        } catch (RuntimeException e) {
            log.warn("pending revocations: cannot read due versions, will retry: {}", e.toString());
            return 0;
        }
        int revoked = 0;
        for (CertificateVersion version : due) {
            try {
                if (revoke(version, now)) {
                    revoked++;
                }
            } catch (RuntimeException e) {
                log.error("version {}: requested revocation failed; it is retried after its lease", version.getId(), e);
            }
        }
        return revoked;
    }

    /**
     * A step that was already talking to the CA when the order was cancelled may still store the version it was
     * issuing (its attempt's outcome is then dropped, but the certificate exists at the CA): the certificates whose
     * cancellation asked for revocation within the last two claim leases (the longest such a step can take) are
     * marked again, so such a version is revoked too.
     */
    private void markLateVersions(Instant now) {
        try {
            for (ManagedCertificateRecord record : mongo.find(Query.query(where("revocationRequestedAt")
                    .gt(now.minus(claimLease.multipliedBy(2)))).limit(batchSize), ManagedCertificateRecord.class)) {
                request(record.getId(), now);
            }
        } catch (RuntimeException e) {
            log.warn("pending revocations: cannot look for versions stored after a cancellation, will retry: {}",
                    e.toString());
        }
    }

    private boolean revoke(CertificateVersion due, Instant now) {
        due.claimRevocation(now.plus(claimLease));
        try {
            versions.save(due);
        } catch (OptimisticLockingFailureException e) {
            log.debug("version {} changed before it was claimed; skipped", due.getId());
            return false;
        }
        RevocationReason reason = RevocationReason.ofRfcName(due.getRevocationRequestedReason())
                .orElse(Revocations.ON_CANCELLATION);
        Revocations.Outcome outcome = revocations.revoke(due.getAccountId(), due.getCertificateId(),
                due.getSerialNumber(), reason);
        if (outcome instanceof Revocations.Outcome.Revoked || outcome instanceof Revocations.Outcome.AlreadyRevoked) {
            return true;
        }
        if (outcome instanceof Revocations.Outcome.NotFound) {
            log.warn("version {} is gone; its requested revocation is dropped", due.getId());
            return false;
        }
        if (outcome instanceof Revocations.Outcome.Unavailable unavailable) {
            Instant next = backoff.nextTry(due.getRevocationTries() + 1, now, unavailable.retryAfter());
            update(due.getId(), v -> v.revocationPostponed(next, "the CA could not be reached: " + unavailable.message()));
            log.info("certificate {} serial {}: the CA could not be reached for the requested revocation; tried again at {}",
                    due.getCertificateId(), due.getSerialNumber(), next);
            return false;
        }
        Revocations.Outcome.Refused refused = (Revocations.Outcome.Refused) outcome;
        String problem = "the CA refused: " + refused.problem().describe();
        update(due.getId(), v -> v.revocationRefused(problem));
        log.warn("certificate {} serial {}: requested revocation refused by the CA; not tried again ({})",
                due.getCertificateId(), due.getSerialNumber(), problem);
        return false;
    }

    /** Applies {@code change} to the fresh version, unless it was revoked meanwhile. */
    private void update(String id, java.util.function.Consumer<CertificateVersion> change) {
        for (int i = 1; i <= SAVE_ATTEMPTS; i++) {
            CertificateVersion current = versions.findById(id).orElse(null);
            if (current == null || current.isRevoked()) {
                return;
            }
            change.accept(current);
            try {
                versions.save(current);
                return;
            } catch (OptimisticLockingFailureException e) {
                // changed meanwhile: read again
            }
        }
        log.warn("version {}: could not save its requested revocation's retry; it is retried after its lease", id);
    }
}
