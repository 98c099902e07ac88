package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.persistence.CertificateVersion;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
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
 * Follows the renewal windows the CA suggests (RFC 9773 ARI): every {@code refresh-interval} it takes the
 * versions whose {@code nextRenewalInfoCheckAt} has come, claims each (a version-checked write that moves
 * that time past a lease, so another instance's refresher leaves it alone), asks the CA with
 * {@link RenewalInfoCheck}, and stores the answer; a window that moved raises {@code RenewalWindowChanged} in
 * the same write. Only the current version of a certificate (the latest, unrevoked, unexpired) is followed;
 * any other due version stops being checked.
 */
public class RenewalWindowRefresher {

    private static final Logger log = LoggerFactory.getLogger(RenewalWindowRefresher.class);
    private static final int SAVE_ATTEMPTS = 3;

    private final MongoTemplate mongo;
    private final CertificateVersionRepository versions;
    private final IssuanceAttemptRepository attempts;
    private final CaProfiles profiles;
    private final CaAccounts accounts;
    private final RenewalInfoCheck check;
    private final Clock clock;
    private final Duration claimLease;
    private final int batchSize;

    public RenewalWindowRefresher(MongoTemplate mongo, CertificateVersionRepository versions,
                                  IssuanceAttemptRepository attempts, CaProfiles profiles, CaAccounts accounts,
                                  RenewalInfoCheck check, Clock clock, Duration claimLease, int batchSize) {
        this.mongo = mongo;
        this.versions = versions;
        this.attempts = attempts;
        this.profiles = profiles;
        this.accounts = accounts;
        this.check = check;
        this.clock = clock;
        this.claimLease = claimLease;
        this.batchSize = batchSize;
    }

    /** Checks every due version once; returns how many windows changed. */
    @Scheduled(fixedDelayString = "${certflow.issuance.renewal-info.refresh-interval:1m}")
    public int refreshDue() {
        Instant now = clock.instant();
        List<CertificateVersion> due;
        try {
            due = mongo.find(Query.query(where("nextRenewalInfoCheckAt").lte(now))
                    .with(Sort.by("nextRenewalInfoCheckAt")).limit(batchSize), CertificateVersion.class);
        } catch (RuntimeException e) {
            log.warn("renewal window refresher: cannot read due versions, will retry: {}", e.toString());
            return 0;
        }
        int changed = 0;
        for (CertificateVersion version : due) {
            try {
                if (refresh(version, now)) {
                    changed++;
                }
            } catch (RuntimeException e) {
                log.error("version {}: renewal window check failed; it is retried after its lease", version.getId(), e);
            }
        }
        return changed;
    }

    private boolean refresh(CertificateVersion due, Instant now) {
        if (!isCurrent(due, now)) {
            due.stopRenewalInfoChecks();
            saveQuietly(due);
            log.debug("version {} is not current any more; its renewal window is no longer followed", due.getId());
            return false;
        }
        due.claimRenewalInfoCheck(now.plus(claimLease));
        CertificateVersion claimed;
        try {
            claimed = versions.save(due);
        } catch (OptimisticLockingFailureException e) {
            log.debug("version {} changed before it was claimed; skipped", due.getId());
            return false;
        }
        RenewalInfoCheck.Outcome outcome = ask(claimed, now);
        CertificateVersion current = claimed;
        for (int i = 1; i <= SAVE_ATTEMPTS; i++) {
            boolean changed = current.renewalInfoChecked(outcome.window(), outcome.nextCheckAt(), now);
            try {
                versions.save(current);
                if (changed) {
                    log.info("certificate {} serial {}: the CA moved its renewal window to {}", current.getCertificateId(),
                            current.getSerialNumber(), outcome.window());
                }
                return changed;
            } catch (OptimisticLockingFailureException e) {
                current = versions.findById(due.getId()).orElse(null);
                if (current == null) {
                    return false;
                }
            }
        }
        log.warn("version {}: could not save its renewal window; it is retried after its lease", due.getId());
        return false;
    }

    private RenewalInfoCheck.Outcome ask(CertificateVersion version, Instant now) {
        try {
            CaProfile profile = profiles.profile(attempts.findById(version.getAttemptId())
                    .map(IssuanceAttempt::getCaProfile).orElse(null));
            CaAccount account = accounts.accountFor(version.getAccountId(), profile);
            return check.check(profile.authority().renewalInformation(), account, version.getCertificateChainPem(), now);
        } catch (CaException e) {
            log.info("version {}: no CA account or profile to ask for its renewal window: {}", version.getId(),
                    e.getMessage());
            return check.unanswered(e, now);
        }
    }

    /** The latest version of its certificate, not revoked, not expired. */
    private boolean isCurrent(CertificateVersion version, Instant now) {
        if (version.isRevoked() || !version.getNotAfter().isAfter(now)) {
            return false;
        }
        List<CertificateVersion> all = versions.findByCertificateIdOrderByNotBeforeDesc(version.getCertificateId());
        return !all.isEmpty() && all.get(0).getId().equals(version.getId());
    }

    private void saveQuietly(CertificateVersion version) {
        try {
            versions.save(version);
        } catch (OptimisticLockingFailureException e) {
            // changed meanwhile: checked again on the next run
        }
    }
}
