package io.certflow.verification.delegation;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.VerificationRequest;
import io.certflow.verification.persistence.VerificationRequestRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Use cases of {@link VerificationRequest}s: take a certificate request (and create the
 * authorizations its domains need), and release waiting requests when a domain gets verified.
 *
 * <p>Without transactions, a request and a "Verify" may race: each side writes first and reads
 * the other's state after, so at least one of them sees both writes and releases the request; the
 * version check makes sure only one {@code DomainsVerified} is raised.
 */
@Component
public class VerificationRequests {

    private static final Logger log = LoggerFactory.getLogger(VerificationRequests.class);
    private static final int ATTEMPTS = 5;

    private final VerificationRequestRepository repository;
    private final DomainAuthorizations authorizations;
    private final IdempotentApply apply;
    private final Clock clock;

    public VerificationRequests(VerificationRequestRepository repository, DomainAuthorizations authorizations,
                                IdempotentApply apply, Clock clock) {
        this.repository = repository;
        this.authorizations = authorizations;
        this.apply = apply;
        this.clock = clock;
    }

    /**
     * Applies a {@link CertificateRequested} once: creates missing authorizations, records the
     * request and raises {@code DomainsVerified} at once if every domain is already verified.
     *
     * <p>A chosen verification method is honoured: {@code CNAME_DELEGATION} moves a domain set up for a DNS provider
     * to delegation (pending until its CNAME is seen); {@code DNS_PROVIDER} leaves finding the account's credential
     * for each domain to {@link ProviderSelection} (it talks to providers, which a listener must not wait for).
     *
     * @throws InvalidDomainNameException         if a requested domain is not a valid name
     * @throws UnknownVerificationMethodException if the chosen method is neither of the two
     */
    public VerificationRequest request(CertificateRequested event) {
        List<String> domains = new ArrayList<>();
        Set<String> bases = new LinkedHashSet<>();
        List<DomainName> names = new ArrayList<>();
        for (String raw : event.domains()) {
            DomainName name = DomainName.parse(raw);
            names.add(name);
            if (!domains.contains(name.value())) {
                domains.add(name.value());
            }
            bases.add(name.authorizationDomain().value());
        }
        String method = methodOf(event);
        boolean replay = repository.findById(event.certificateId()).filter(r -> r.hasApplied(event.eventId())).isPresent();
        for (DomainName name : names) {
            DomainAuthorization authorization = authorizations.getOrCreate(event.accountId(), name);
            if (!replay && DomainAuthorization.METHOD_CNAME_DELEGATION.equals(method) && authorization.usesProvider()) {
                useDelegation(authorization, event);
            }
        }
        Map<String, DomainAuthorization> current = authorizations.find(event.accountId(), bases);
        VerificationRequest request = apply.apply(VerificationRequest.class, event.certificateId(), event,
                () -> VerificationRequest.create(event.certificateId(), event.accountId()),
                r -> {
                    r.request(event, domains, List.copyOf(bases), method, clock.instant());
                    r.releaseIfVerified(current, clock.instant());
                });
        if (request != null && request.isWaiting()) {
            releaseIfComplete(request.getCertificateId()); // a Verify may have landed meanwhile
        }
        return request;
    }

    /**
     * The verification method the application chose: {@code CNAME_DELEGATION}, {@code DNS_PROVIDER}, or null (none
     * chosen: each domain as it is set up).
     *
     * @throws UnknownVerificationMethodException for any other value
     */
    static String methodOf(CertificateRequested event) {
        String method = event.verificationMethod();
        if (method == null || method.isBlank()) {
            return null;
        }
        if (!method.equals(DomainAuthorization.METHOD_CNAME_DELEGATION)
                && !method.equals(DomainAuthorization.METHOD_DNS_PROVIDER)) {
            throw new UnknownVerificationMethodException("verificationMethod '" + method + "' is not "
                    + DomainAuthorization.METHOD_CNAME_DELEGATION + " or " + DomainAuthorization.METHOD_DNS_PROVIDER);
        }
        return method;
    }

    /**
     * The application chose CNAME delegation for a domain set up for a DNS provider: the domain is delegated from now
     * on, pending until a Verify sees its CNAME (the owner is shown the record to create, as for any new domain).
     */
    private void useDelegation(DomainAuthorization authorization, CertificateRequested event) {
        DomainAuthorization current = authorization;
        for (int attempt = 1; attempt <= ATTEMPTS && current.usesProvider(); attempt++) {
            current.useDelegation();
            try {
                authorizations.save(current);
                log.info("domain {} of account {}: CNAME delegation chosen by the application of certificate {}",
                        current.getDomain(), current.getAccountId(), event.certificateId());
                return;
            } catch (OptimisticLockingFailureException e) {
                current = authorizations.reload(current);
            }
        }
    }

    /** The account's request of a certificate, if there is one. */
    public java.util.Optional<VerificationRequest> find(String accountId, String certificateId) {
        return repository.findById(certificateId).filter(r -> accountId.equals(r.getAccountId()));
    }

    /** The certificates of the account whose domains include {@code domain} (or its wildcard). */
    public List<String> certificatesRelyingOn(String accountId, String domain) {
        return repository.findByAccountIdAndAuthorizationDomains(accountId, domain).stream()
                .map(VerificationRequest::getId).toList();
    }

    /** The base domains a certificate's request needs authorizations for; empty for an unknown certificate. */
    public List<String> authorizationDomains(String certificateId) {
        return repository.findById(certificateId).map(VerificationRequest::getAuthorizationDomains).orElse(List.of());
    }

    /** Releases every waiting request of the account that needs {@code domain}'s authorization. */
    public void releaseWaiting(String accountId, String domain) {
        for (VerificationRequest r : repository.findByAccountIdAndStateAndAuthorizationDomains(accountId,
                VerificationRequest.State.WAITING, domain)) {
            releaseIfComplete(r.getCertificateId());
        }
    }

    /** Releases the request if it waits and all its authorizations are verified now. */
    public void releaseIfComplete(String certificateId) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            VerificationRequest request = repository.findById(certificateId).orElse(null);
            if (request == null || !request.isWaiting()) {
                return;
            }
            Map<String, DomainAuthorization> current = authorizations.find(request.getAccountId(),
                    request.getAuthorizationDomains());
            if (!request.releaseIfVerified(current, clock.instant())) {
                return;
            }
            try {
                repository.save(request);
                log.info("domains of certificate {} verified", certificateId);
                return;
            } catch (OptimisticLockingFailureException e) {
                log.debug("verification request {} changed concurrently, checking again", certificateId);
            }
        }
    }
}
