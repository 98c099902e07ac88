package io.certflow.hosting.renewal;

import io.certflow.events.v1.RenewalDue;
import io.certflow.hosting.maintenance.MaintenanceCalendar;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.metrics.RenewalMetrics;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a person does to a hosted certificate: renew it now (past any backoff; asking again while that
 * renewal runs answers with the same renewal instead of starting a second one), pause hosting, resume it.
 */
@Service
public class RenewalService {

    private static final Logger log = LoggerFactory.getLogger(RenewalService.class);
    private static final int ATTEMPTS = 5;

    private final ManagedCertificateRepository certificates;
    private final MaintenanceCalendar calendar;
    private final RenewalMetrics metrics;
    private final Clock clock;

    public RenewalService(ManagedCertificateRepository certificates, MaintenanceCalendar calendar,
                          RenewalMetrics metrics, Clock clock) {
        this.certificates = certificates;
        this.calendar = calendar;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Starts a manual renewal of {@code certificateId} of {@code accountId}.
     *
     * @return the {@link RenewalDue} event id of the renewal in progress, or empty if no such certificate
     *         belongs to the account
     * @throws io.certflow.hosting.managing.NotRenewableException if it cannot be renewed now
     * @throws OptimisticLockingFailureException if it kept changing under us
     */
    public Optional<UUID> renewNow(String accountId, String certificateId) {
        return change(accountId, certificateId, certificate -> {
            if (certificate.getPendingRenewalEventId() != null) {
                return new Result<>(UUID.fromString(certificate.getPendingRenewalEventId()), false);
            }
            RenewalDue due = certificate.startRenewal(clock.instant(), RenewalTrigger.MANUAL,
                    "renewal requested through the API");
            return new Result<>(due.eventId(), true);
        }).map(eventId -> {
            log.info("manual renewal of certificate {} [event {}]", certificateId, eventId);
            return eventId;
        });
    }

    /**
     * Pauses hosting of {@code certificateId}.
     *
     * @return the certificate, or empty if no such certificate belongs to the account
     * @throws io.certflow.hosting.managing.NotRenewableException if it is cancelled or not hosted
     */
    public Optional<ManagedCertificate> pause(String accountId, String certificateId, String reason) {
        return change(accountId, certificateId, certificate -> {
            certificate.pause(reason, clock.instant());
            return new Result<>(certificate, true);
        });
    }

    /** Resumes hosting of {@code certificateId}; empty if no such certificate belongs to the account. */
    public Optional<ManagedCertificate> resume(String accountId, String certificateId) {
        return change(accountId, certificateId, certificate -> {
            certificate.resume(calendar.plannerFor(accountId), clock.instant());
            return new Result<>(certificate, true);
        });
    }

    private record Result<T>(T value, boolean save) {
    }

    private <T> Optional<T> change(String accountId, String certificateId, Function<ManagedCertificate, Result<T>> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<ManagedCertificate> found = certificates.findByIdAndAccountId(certificateId, accountId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            ManagedCertificate certificate = found.get();
            boolean renewing = certificate.getPendingRenewalEventId() != null;
            Result<T> result = change.apply(certificate);
            if (!result.save()) {
                return Optional.of(result.value());
            }
            try {
                certificates.save(certificate);
                if (!renewing && certificate.getPendingRenewalEventId() != null) {
                    metrics.started(RenewalTrigger.MANUAL);
                }
                return Optional.of(result.value());
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
