package io.certflow.hosting.renewal;

import io.certflow.events.v1.RenewalDue;
import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * A person asks for a renewal now. Asking again while that renewal runs answers with the same
 * renewal instead of starting a second one.
 */
@Service
public class RenewalService {

    private static final Logger log = LoggerFactory.getLogger(RenewalService.class);
    private static final int ATTEMPTS = 5;

    private final ManagedCertificateRepository certificates;
    private final Clock clock;

    public RenewalService(ManagedCertificateRepository certificates, Clock clock) {
        this.certificates = certificates;
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
        for (int attempt = 1; ; attempt++) {
            Optional<ManagedCertificate> found = certificates.findByIdAndAccountId(certificateId, accountId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            ManagedCertificate certificate = found.get();
            if (certificate.getStatus() == CertificateStatus.RENEWING && certificate.getPendingRenewalEventId() != null) {
                return Optional.of(UUID.fromString(certificate.getPendingRenewalEventId()));
            }
            RenewalDue due = certificate.startRenewal(clock.instant(), true, "renewal requested through the API");
            try {
                certificates.save(certificate);
                log.info("manual renewal of certificate {} (serial {}) started [event {}]", certificateId,
                        due.currentSerialNumber(), due.eventId());
                return Optional.of(due.eventId());
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
