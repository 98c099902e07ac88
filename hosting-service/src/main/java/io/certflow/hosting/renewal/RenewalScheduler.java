package io.certflow.hosting.renewal;

import io.certflow.events.v1.RenewalDue;
import io.certflow.hosting.maintenance.MaintenanceCalendar;
import io.certflow.hosting.maintenance.MaintenanceWindows;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.metrics.RenewalMetrics;
import io.certflow.hosting.managing.NotRenewableException;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.persistence.RenewalClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts the renewals whose time has come. Each run first gives up renewals that issuance never answered
 * (so they are retried instead of hanging), then claims the due certificates in batches with a lease
 * ({@link RenewalClaims}) and, for each, either moves it out of a maintenance window the account set since
 * it was planned, or starts its renewal: a {@link RenewalDue} raised in the same conditional write that
 * releases the claim. Several instances share the work without emitting a renewal twice; a renewal time
 * that passed while no instance ran is simply due now (and reported by the expiry watch).
 */
@Component
public class RenewalScheduler {

    private static final Logger log = LoggerFactory.getLogger(RenewalScheduler.class);
    /** Batches per run at most, so one run cannot hold the scheduler thread for long. */
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final ManagedCertificateRepository certificates;
    private final RenewalClaims claims;
    private final MaintenanceCalendar calendar;
    private final HostingProperties properties;
    private final RenewalMetrics metrics;
    private final Clock clock;
    private final String instance = "hosting-" + UUID.randomUUID().toString().substring(0, 8);

    public RenewalScheduler(ManagedCertificateRepository certificates, RenewalClaims claims, MaintenanceCalendar calendar,
                            HostingProperties properties, RenewalMetrics metrics, Clock clock) {
        this.certificates = certificates;
        this.claims = claims;
        this.calendar = calendar;
        this.properties = properties;
        this.metrics = metrics;
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

    /** Claims and starts the renewal of every certificate due now; returns how many were started. */
    public int renewDue() {
        int started = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            Instant now = clock.instant();
            List<ManagedCertificate> claimed = claims.claimDue(instance, now, properties.claimLease(),
                    properties.renewalBatchSize());
            Map<String, MaintenanceWindows> windows = new HashMap<>();
            for (ManagedCertificate certificate : claimed) {
                if (start(certificate, windows.computeIfAbsent(certificate.getAccountId(), calendar::windowsOf), now)) {
                    started++;
                }
            }
            if (claimed.isEmpty()) {
                break;
            }
        }
        return started;
    }

    /** Marks renewals older than the renewal timeout as failed; returns how many. */
    int giveUpUnansweredRenewals() {
        Instant now = clock.instant();
        int givenUp = 0;
        for (ManagedCertificate certificate : certificates.findByRenewalStartedAtLessThanEqual(
                now.minus(properties.renewalTimeout()), PageRequest.of(0, properties.renewalBatchSize()))) {
            String renewal = certificate.getPendingRenewalEventId();
            if (!certificate.renewalTimedOut(properties.renewalTimeout(),
                    calendar.plannerFor(certificate.getAccountId()), now)) {
                continue;
            }
            try {
                certificates.save(certificate);
                givenUp++;
                metrics.failed("timeout");
                log.warn("renewal {} of certificate {} had no answer within {}; retrying at {}", renewal,
                        certificate.getId(), properties.renewalTimeout(), certificate.getNextRenewalAt());
            } catch (OptimisticLockingFailureException e) {
                log.debug("certificate {} changed concurrently; its renewal was answered meanwhile", certificate.getId());
            }
        }
        return givenUp;
    }

    /**
     * Starts one claimed renewal, or moves it out of a maintenance window; false if it did not start (another
     * writer changed the certificate first: the claim is released and it is looked at again on the next run,
     * not only when the lease ends).
     */
    private boolean start(ManagedCertificate certificate, MaintenanceWindows windows, Instant now) {
        RenewalDue due = null;
        if (certificate.deferForMaintenance(windows, now)) {
            log.info("renewal of certificate {} moved out of a maintenance window to {}", certificate.getId(),
                    certificate.getNextRenewalAt());
        } else {
            try {
                due = certificate.startRenewal(now, RenewalTrigger.SCHEDULED, certificate.scheduledRenewalReason());
            } catch (NotRenewableException e) {
                certificate.renewalNotPossible(e.getMessage(), now);
                log.warn("certificate {} was due but cannot be renewed: {}", certificate.getId(), e.getMessage());
            }
        }
        try {
            certificates.save(certificate);
        } catch (OptimisticLockingFailureException e) {
            log.debug("certificate {} changed after it was claimed; released, it is looked at again on the next run",
                    certificate.getId());
            claims.release(certificate.getId(), instance);
            return false;
        }
        if (due == null) {
            return false;
        }
        metrics.started(RenewalTrigger.SCHEDULED);
        log.info("renewal of certificate {} (serial {}) started: {} [event {}]", certificate.getId(),
                due.currentSerialNumber(), due.reason(), due.eventId());
        return true;
    }
}
