package io.certflow.verification.delegation;

import io.certflow.verification.credentials.DnsCredentials;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import io.certflow.verification.persistence.DnsCredential;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.VerificationRequest;
import io.certflow.verification.persistence.VerificationRequestRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Honours {@code verificationMethod: DNS_PROVIDER} of a certificate request: for every domain of a waiting request
 * that is not verified through a DNS provider yet, finds a DNS credential of the account whose provider holds the
 * zone of {@code _acme-challenge.<domain>.} and can write there (the test write of a Verify, {@link ProviderVerifier}),
 * the domain's current credential first; the first that can becomes the domain's method and is verified, which
 * releases the request. A domain no credential can serve is never delegated by CNAME instead: the request keeps
 * waiting, with a sentence per domain ("no DNS credential of this account covers the zone …") shown by the API, and
 * is looked at again every {@code certflow.verification.provider-selection.retry} (a credential may be added).
 *
 * <p>It talks to providers, so it runs on the scheduler, never on a listener thread.
 */
@Component
public class ProviderSelection {

    private static final Logger log = LoggerFactory.getLogger(ProviderSelection.class);
    private static final int BATCH = 20;

    private final VerificationRequestRepository requests;
    private final DomainAuthorizations authorizations;
    private final DnsCredentials credentials;
    private final ProviderVerifier verifier;
    private final DelegationService delegations;
    private final Clock clock;
    private final Duration retry;

    public ProviderSelection(VerificationRequestRepository requests, DomainAuthorizations authorizations,
                             DnsCredentials credentials, ProviderVerifier verifier, DelegationService delegations,
                             Clock clock,
                             @Value("${certflow.verification.provider-selection.retry:1m}") Duration retry) {
        this.requests = requests;
        this.authorizations = authorizations;
        this.credentials = credentials;
        this.verifier = verifier;
        this.delegations = delegations;
        this.clock = clock;
        this.retry = retry;
    }

    /**
     * Looks at every waiting {@code DNS_PROVIDER} request that is due.
     *
     * @return how many were looked at
     */
    @Scheduled(fixedDelayString = "${certflow.verification.provider-selection.interval:5s}")
    public int selectDue() {
        List<VerificationRequest> due;
        try {
            due = requests.findByStateAndNextMethodCheckAtLessThanEqualOrderByNextMethodCheckAt(
                    VerificationRequest.State.WAITING, clock.instant(), PageRequest.of(0, BATCH));
        } catch (RuntimeException e) {
            log.warn("provider selection: cannot read due requests, will retry: {}", e.toString());
            return 0;
        }
        for (VerificationRequest request : due) {
            try {
                select(request);
            } catch (RuntimeException e) {
                log.warn("provider selection for certificate {} failed; tried again next round", request.getId(), e);
            }
        }
        return due.size();
    }

    private void select(VerificationRequest request) {
        List<VerificationRequest.MethodProblem> problems = new ArrayList<>();
        for (String domain : request.getAuthorizationDomains()) {
            DomainAuthorization a = authorizations.getOrCreate(request.getAccountId(), DomainName.parse(domain));
            if (a.usesProvider() && a.isVerified()) {
                continue;
            }
            String problem = serve(request.getAccountId(), a);
            if (problem != null) {
                problems.add(new VerificationRequest.MethodProblem(domain, problem, clock.instant()));
            }
        }
        for (int attempt = 1; attempt <= 5; attempt++) {
            VerificationRequest current = requests.findById(request.getId()).orElse(null);
            if (current == null || !current.isWaiting()
                    || !DomainAuthorization.METHOD_DNS_PROVIDER.equals(current.getVerificationMethod())) {
                return; // released meanwhile (the Verify above releases it), or requested again otherwise
            }
            current.methodChecked(problems, problems.isEmpty() ? null : clock.instant().plus(retry));
            try {
                requests.save(current);
                if (!problems.isEmpty()) {
                    log.info("certificate {}: {} domain(s) not served by a DNS provider yet; looked at again in {}",
                            request.getId(), problems.size(), retry);
                }
                return;
            } catch (OptimisticLockingFailureException e) {
                log.debug("verification request {} changed concurrently; saving its findings again", request.getId());
            }
        }
    }

    /** Puts the domain under the first credential that can write in its zone; null when done, else why not. */
    private String serve(String accountId, DomainAuthorization a) {
        String domain = a.getDomain();
        Set<String> candidates = new LinkedHashSet<>();
        if (a.usesProvider()) {
            candidates.add(a.getCredentialId());
        }
        credentials.list(accountId).stream().map(DnsCredential::getId).forEach(candidates::add);
        List<String> findings = new ArrayList<>();
        for (String credentialId : candidates) {
            DelegationDiagnosis diagnosis = verifier.check(accountId, domain, credentialId);
            if (diagnosis.result() == DelegationResult.NO_PROVIDER_ZONE) {
                continue;
            }
            if (diagnosis.verified()) {
                delegations.chooseMethod(accountId, DomainName.parse(domain), DomainAuthorization.METHOD_DNS_PROVIDER,
                        credentialId);
                DelegationService.Verification v = delegations.verify(accountId, DomainName.parse(domain));
                if (v.diagnosis().verified()) {
                    log.info("domain {} of account {}: DNS credential {} chosen (the application asked for DNS_PROVIDER)",
                            domain, accountId, credentialId);
                    return null;
                }
                diagnosis = v.diagnosis();
            }
            findings.add("DNS credential " + credentialId + ": " + diagnosis.result() + " - " + diagnosis.detail());
        }
        String name = "_acme-challenge." + domain + ".";
        if (findings.isEmpty()) {
            return "No DNS credential of this account covers the zone of " + name + " (" + candidates.size()
                    + " credential(s) checked). This order chose DNS_PROVIDER, so certflow does not fall back to CNAME"
                    + " delegation: add a DNS credential for the zone of " + domain + " (POST /api/v1/dns-credentials);"
                    + " certflow looks again every " + retry + ".";
        }
        return "No DNS credential of this account could write in the zone of " + name + ": "
                + String.join("; ", findings) + ". This order chose DNS_PROVIDER; certflow looks again every " + retry
                + ".";
    }
}
