package io.certflow.verification.delegation;

import io.certflow.verification.VerificationProperties;
import io.certflow.verification.credentials.DnsCredentials;
import io.certflow.verification.dns.lookup.DelegationChecker;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import io.certflow.verification.persistence.DomainAuthorization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    private final ProviderVerifier providerVerifier;
    private final DnsCredentials credentials;
    private final VerificationProperties properties;
    private final Clock clock;

    public DelegationService(DomainAuthorizations authorizations, VerificationRequests requests,
                             DelegationChecker checker, ProviderVerifier providerVerifier, DnsCredentials credentials,
                             VerificationProperties properties, Clock clock) {
        this.authorizations = authorizations;
        this.requests = requests;
        this.checker = checker;
        this.providerVerifier = providerVerifier;
        this.credentials = credentials;
        this.properties = properties;
        this.clock = clock;
    }

    /** The account's delegation for a domain, created with its label on first use. */
    public DomainAuthorization delegation(String accountId, DomainName domain) {
        return authorizations.getOrCreate(accountId, domain);
    }

    /** The zone holding the domain as the public sees it, to tell the owner the CNAME's host name in that zone. */
    public Optional<String> zoneOf(DomainAuthorization authorization) {
        try {
            return checker.zoneOf(authorization.getDomain());
        } catch (RuntimeException e) {
            log.debug("zone of {} not found", authorization.getDomain(), e);
            return Optional.empty();
        }
    }

    /**
     * Chooses how certflow controls the domain's challenge name: {@code CNAME_DELEGATION}, or
     * {@code DNS_PROVIDER} through one of the account's credentials. The domain is pending until the next
     * Verify.
     *
     * @throws UnknownCredentialException when the credential is not the account's
     * @throws IllegalArgumentException   when the method is not one of the two
     */
    public DomainAuthorization chooseMethod(String accountId, DomainName domain, String method, String credentialId) {
        String m = method == null ? "" : method.strip().toUpperCase(java.util.Locale.ROOT);
        if (m.equals(DomainAuthorization.METHOD_DNS_PROVIDER) && (credentialId == null || credentialId.isBlank())) {
            throw new IllegalArgumentException("the DNS_PROVIDER method needs a credentialId");
        }
        if (m.equals(DomainAuthorization.METHOD_DNS_PROVIDER) && credentials.find(accountId, credentialId).isEmpty()) {
            throw new UnknownCredentialException("no DNS credential " + credentialId + " in this account");
        }
        if (!m.equals(DomainAuthorization.METHOD_DNS_PROVIDER) && !m.equals(DomainAuthorization.METHOD_CNAME_DELEGATION)) {
            throw new IllegalArgumentException("method must be CNAME_DELEGATION or DNS_PROVIDER");
        }
        for (int attempt = 1; ; attempt++) {
            DomainAuthorization authorization = authorizations.getOrCreate(accountId, domain);
            if (m.equals(DomainAuthorization.METHOD_DNS_PROVIDER)) {
                authorization.useProvider(credentialId.strip());
            } else {
                authorization.useDelegation();
            }
            try {
                return authorizations.save(authorization);
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * The outcome of one "Verify": the authorization as it is now and what DNS showed.
     *
     * @param authorization the authorization after the check
     * @param diagnosis     what was found
     */
    public record Verification(DomainAuthorization authorization, DelegationDiagnosis diagnosis) {
    }

    /**
     * Checks the domain's method now (looks the delegation up, or writes a test record through the provider),
     * records the result, and releases waiting requests when verified.
     */
    public Verification verify(String accountId, DomainName domain) {
        DomainAuthorization authorization = authorizations.getOrCreate(accountId, domain);
        String checkedMethod = authorization.getMethod() + "/" + authorization.getCredentialId();
        DelegationDiagnosis diagnosis;
        try {
            diagnosis = authorization.usesProvider()
                    ? providerVerifier.check(accountId, authorization.getDomain(), authorization.getCredentialId())
                    : checker.check(authorization.getDomain(), authorization.getDelegationTarget());
        } catch (RuntimeException e) {
            log.warn("delegation check of {} failed", authorization.getDomain(), e);
            diagnosis = new DelegationDiagnosis(authorization.getDomain(), DelegationResult.LOOKUP_FAILED,
                    "Looking up " + authorization.getRecordName() + " failed unexpectedly. Try again in a few minutes.",
                    authorization.getDelegationTarget(), List.of());
        }
        for (int attempt = 1; ; attempt++) {
            if (!checkedMethod.equals(authorization.getMethod() + "/" + authorization.getCredentialId())) {
                return new Verification(authorization, diagnosis); // the method changed meanwhile: proves nothing
            }
            Instant now = clock.instant();
            authorization.recordCheck(diagnosis, now,
                    requests.certificatesRelyingOn(accountId, authorization.getDomain()),
                    now.plus(properties.recheck().every()));
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
