package io.certflow.hosting.renewal;

import io.certflow.events.v1.RenewalDue;
import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.NotRenewableException;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * Gives up renewals that issuance never answered (so they are retried instead of hanging), then finds
 * certificates whose renewal time has come ({@code HOSTED}, or {@code RENEWAL_FAILED} whose
 * retry time has come) and starts their renewal: {@code RENEWING} and {@link RenewalDue} in one
 * conditional write. When several instances run, the version check lets exactly one of them win
 * each certificate; the others skip it.
 */
@Component
public class RenewalScheduler {

    private static final Logger log = LoggerFactory.getLogger(RenewalScheduler.class);
    /** Batches per run at most, so one run cannot hold the scheduler thread for long. */
    private static final int MAX_BATCHES_PER_RUN = 10;

    private final ManagedCertificateRepository certificates;
    private final RenewalPolicy policy;
    private final HostingProperties properties;
    private final Clock clock;

    public RenewalScheduler(ManagedCertificateRepository certificates, RenewalPolicy policy,
                            HostingProperties properties, Clock clock) {
        this.certificates = certificates;
        this.policy = policy;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Starts the renewal of every certificate due now; returns how many were started. A failing store is
     * logged in one line and tried again on the next run.
     */
    @Scheduled(fixedDelayString = "${certflow.hosting.renewal-check-interval:10s}",
            initialDelayString = "${certflow.hosting.renewal-check-interval:10s}")
    public int run() {
        try {
            giveUpUnansweredRenewals();
            return renewDue();
        } catch (DataAccessException e) {
            log.warn("renewal check failed, will retry: {}", e.toString());
            return 0;
        }
    }

    /** Starts the renewal of every certificate due now; returns how many were started. */
    int renewDue() {
        int started = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            Instant now = clock.instant();
            List<ManagedCertificate> due = certificates.findByStatusInAndNextRenewalAtLessThanEqualOrderByNextRenewalAtAsc(
                    EnumSet.of(CertificateStatus.HOSTED, CertificateStatus.RENEWAL_FAILED), now,
                    PageRequest.of(0, properties.renewalBatchSize()));
            int startedInBatch = 0;
            for (ManagedCertificate certificate : due) {
                if (startRenewal(certificate, now)) {
                    startedInBatch++;
                }
            }
            started += startedInBatch;
            if (due.size() < properties.renewalBatchSize() || startedInBatch == 0) {
                break;
            }
        }
        return started;
    }

    /** Marks renewals older than the renewal timeout as failed; returns how many. */
    int giveUpUnansweredRenewals() {
        Instant now = clock.instant();
        int givenUp = 0;
        for (ManagedCertificate certificate : certificates.findByStatusAndRenewalStartedAtLessThanEqual(
                CertificateStatus.RENEWING, now.minus(properties.renewalTimeout()),
                PageRequest.of(0, properties.renewalBatchSize()))) {
            String renewal = certificate.getPendingRenewalEventId();
            if (!certificate.renewalTimedOut(properties.renewalTimeout(), policy, now)) {
                continue;
            }
            try {
                certificates.save(certificate);
                givenUp++;
                log.warn("renewal {} of certificate {} had no answer within {}; retrying at {}", renewal,
                        certificate.getId(), properties.renewalTimeout(), certificate.getNextRenewalAt());
            } catch (OptimisticLockingFailureException e) {
                log.debug("certificate {} changed concurrently; its renewal was answered meanwhile", certificate.getId());
            }
        }
        return givenUp;
    }

    /**
     * Starts one renewal; false if another writer changed the certificate first (it is looked at again
     * on the next run if still due) or it cannot be renewed.
     */
    boolean startRenewal(ManagedCertificate certificate, Instant now) {
        String reason = certificate.scheduledRenewalReason(policy);
        RenewalDue due;
        try {
            due = certificate.startRenewal(now, false, reason);
        } catch (NotRenewableException e) {
            log.warn("certificate {} is due but not renewable: {}", certificate.getId(), e.getMessage());
            return false;
        }
        try {
            certificates.save(certificate);
        } catch (OptimisticLockingFailureException e) {
            log.debug("certificate {} changed concurrently; its renewal is left to the writer that won",
                    certificate.getId());
            return false;
        }
        log.info("renewal of certificate {} (serial {}) started: {} [event {}]", certificate.getId(),
                due.currentSerialNumber(), reason, due.eventId());
        return true;
    }
}
