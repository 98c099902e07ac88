package io.certflow.hosting.alerting;

import io.certflow.events.v1.CertificateExpiring;
import io.certflow.hosting.managing.ManagedCertificate;
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
import java.util.List;

/**
 * Makes a certificate at risk loud: finds the certificates whose {@code alertCheckAt} has come (an
 * indexed query, so the cost follows what is due, not how many are hosted), lets
 * {@link ExpiryAlertPolicy} decide, and saves each with its {@link CertificateExpiring} in one
 * conditional write. It never starts renewals — {@code RenewalScheduler} still does, also for a renewal
 * time that passed while no scheduler ran; this job reports that it passed. When several instances
 * run, the version check lets one of them win each certificate, and the derived event id collapses
 * what slips through.
 */
@Component
public class ExpiryWatch {

    private static final Logger log = LoggerFactory.getLogger(ExpiryWatch.class);
    /** Batches per run at most, so one run cannot hold the scheduler thread for long. */
    private static final int MAX_BATCHES_PER_RUN = 10;

    private final ManagedCertificateRepository certificates;
    private final ExpiryAlertPolicy policy;
    private final ExpiryAlertProperties properties;
    private final Clock clock;

    public ExpiryWatch(ManagedCertificateRepository certificates, ExpiryAlertProperties properties, Clock clock) {
        this.certificates = certificates;
        this.policy = properties.policy();
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Checks every certificate whose check time has come; returns how many alerts were raised. A failing
     * store is logged in one line and tried again on the next run.
     */
    @Scheduled(fixedDelayString = "${certflow.hosting.alerts.check-interval:1m}",
            initialDelayString = "${certflow.hosting.alerts.check-interval:1m}")
    public int run() {
        try {
            return check();
        } catch (DataAccessException e) {
            log.warn("expiry check failed, will retry: {}", e.toString());
            return 0;
        }
    }

    /** Checks every certificate whose check time has come; returns how many alerts were raised. */
    int check() {
        int raised = 0;
        for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
            Instant now = clock.instant();
            List<ManagedCertificate> due = certificates.findByAlertCheckAtLessThanEqualOrderByAlertCheckAtAsc(now,
                    PageRequest.of(0, properties.batchSize()));
            int saved = 0;
            for (ManagedCertificate certificate : due) {
                CertificateExpiring alert = certificate.checkExpiry(policy, now);
                try {
                    certificates.save(certificate);
                    saved++;
                } catch (OptimisticLockingFailureException e) {
                    log.debug("certificate {} changed concurrently; it is checked again on the next run",
                            certificate.getId());
                    continue;
                }
                if (alert != null) {
                    raised++;
                    log.warn("certificate {} (serial {}) at risk, {} days left: {} [event {}]", certificate.getId(),
                            alert.serialNumber(), alert.daysLeft(), alert.reason(), alert.eventId());
                }
            }
            if (due.size() < properties.batchSize() || saved == 0) {
                break;
            }
        }
        return raised;
    }
}
