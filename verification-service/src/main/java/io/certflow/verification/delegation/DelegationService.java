package io.certflow.verification.delegation;

import io.certflow.verification.dns.lookup.DelegationChecker;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import io.certflow.verification.persistence.DomainAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;

/**
 * The customer's side of delegation: "what CNAME do I create?" and "Verify". A successful Verify
 * marks the authorization verified and releases the account's certificate requests that waited
 * for it.
 */
@Service
public class DelegationService {

    private static final Logger log = LoggerFactory.getLogger(DelegationService.class);

    private final DomainAuthorizations authorizations;
    private final VerificationRequests requests;
    private final DelegationChecker checker;
    private final Clock clock;

    public DelegationService(DomainAuthorizations authorizations, VerificationRequests requests,
                             DelegationChecker checker, Clock clock) {
        this.authorizations = authorizations;
        this.requests = requests;
        this.checker = checker;
        this.clock = clock;
    }

    /** The account's delegation for a domain, created with its label on first use. */
    public DomainAuthorization delegation(String accountId, DomainName domain) {
        return authorizations.getOrCreate(accountId, domain);
    }

    /**
     * The outcome of one "Verify": the authorization as it is now and what DNS showed.
     *
     * @param authorization the authorization after the check
     * @param diagnosis     what was found
     */
    public record Verification(DomainAuthorization authorization, DelegationDiagnosis diagnosis) {
    }

    /** Looks the delegation up now, records the result, and releases waiting requests when verified. */
    public Verification verify(String accountId, DomainName domain) {
        DomainAuthorization authorization = authorizations.getOrCreate(accountId, domain);
        DelegationDiagnosis diagnosis;
        try {
            diagnosis = checker.check(authorization.getDomain(), authorization.getDelegationTarget());
        } catch (RuntimeException e) {
            log.warn("delegation check of {} failed", authorization.getDomain(), e);
            diagnosis = new DelegationDiagnosis(authorization.getDomain(), DelegationResult.LOOKUP_FAILED,
                    "Looking up " + authorization.getRecordName() + " failed unexpectedly. Try again in a few minutes.",
                    authorization.getDelegationTarget(), List.of());
        }
        for (int attempt = 1; ; attempt++) {
            authorization.recordCheck(diagnosis, clock.instant());
            try {
                authorization = authorizations.save(authorization);
                break;
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
                authorization = authorizations.reload(authorization);
            }
        }
        if (diagnosis.verified()) {
            requests.releaseWaiting(accountId, authorization.getDomain());
        }
        return new Verification(authorization, diagnosis);
    }
}
