package io.certflow.verification.delegation;

import io.certflow.verification.VerificationProperties;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.DomainAuthorizationRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/**
 * Keeps delegations alive: re-checks verified domains (and lost ones, which come back by themselves once the owner
 * fixes them) when their re-check is due — on a schedule, and at once when a renewal of one of their certificates
 * is due. A domain found no longer delegated becomes LOST and warns with {@code DomainVerificationLost} before any
 * renewal fails on it.
 */
@Component
public class VerificationRechecker {

    private static final Logger log = LoggerFactory.getLogger(VerificationRechecker.class);

    private final DomainAuthorizationRepository repository;
    private final DelegationService delegations;
    private final VerificationRequests requests;
    private final DomainAuthorizations authorizations;
    private final VerificationProperties properties;
    private final Clock clock;

    public VerificationRechecker(DomainAuthorizationRepository repository, DelegationService delegations,
                                 VerificationRequests requests, DomainAuthorizations authorizations,
                                 VerificationProperties properties, Clock clock) {
        this.repository = repository;
        this.delegations = delegations;
        this.requests = requests;
        this.authorizations = authorizations;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Re-checks the authorizations whose re-check is due.
     *
     * @return how many were checked
     */
    @Scheduled(fixedDelayString = "${certflow.verification.recheck.interval:1m}")
    public int recheckDue() {
        List<DomainAuthorization> due = repository.findByStateInAndRecheckAtLessThanEqualOrderByRecheckAt(
                EnumSet.of(DomainAuthorization.State.VERIFIED, DomainAuthorization.State.LOST), clock.instant(),
                PageRequest.of(0, properties.recheck().batch()));
        for (DomainAuthorization a : due) {
            try {
                DelegationService.Verification v = delegations.verify(a.getAccountId(), DomainName.parse(a.getDomain()));
                log.debug("re-checked {} of {}: {}", a.getDomain(), a.getAccountId(), v.diagnosis().result());
            } catch (RuntimeException e) {
                log.warn("re-check of {} failed; tried again next round", a.getDomain(), e);
            }
        }
        return due.size();
    }

    /**
     * A renewal of {@code certificateId} is due: its domains are re-checked at the next round (within
     * {@code recheck.before-renewal}), so a lost delegation is reported before the renewal's challenge fails.
     */
    public void renewalDue(String accountId, String certificateId) {
        Instant by = clock.instant().plus(properties.recheck().beforeRenewal());
        for (String domain : requests.authorizationDomains(certificateId)) {
            for (int attempt = 1; attempt <= 5; attempt++) {
                DomainAuthorization a = authorizations.find(accountId, List.of(domain)).get(domain);
                if (a == null) {
                    break;
                }
                a.recheckBy(by);
                try {
                    authorizations.save(a);
                    break;
                } catch (org.springframework.dao.OptimisticLockingFailureException e) {
                    log.debug("authorization {} changed concurrently; marking it again", a.getId());
                }
            }
        }
    }
}
