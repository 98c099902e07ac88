package io.certflow.verification.delegation;

import io.certflow.verification.VerificationProperties;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.DomainAuthorizationRepository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds an account's authorization for a domain, creating it with a fresh label the first time it
 * is needed (asked for by the API, or by a certificate request). Two concurrent first requests
 * create one authorization: the id is unique, and the loser reads the winner's.
 */
@Component
public class DomainAuthorizations {

    private final DomainAuthorizationRepository repository;
    private final DelegationLabels labels;
    private final VerificationProperties properties;
    private final Clock clock;

    public DomainAuthorizations(DomainAuthorizationRepository repository, DelegationLabels labels,
                                VerificationProperties properties, Clock clock) {
        this.repository = repository;
        this.labels = labels;
        this.properties = properties;
        this.clock = clock;
    }

    /** The account's authorization for {@code domain} (its base domain for a wildcard), created if missing. */
    public DomainAuthorization getOrCreate(String accountId, DomainName domain) {
        String base = domain.authorizationDomain().value();
        String id = DomainAuthorization.idOf(accountId, base);
        for (int attempt = 0; attempt < 3; attempt++) {
            DomainAuthorization existing = repository.findById(id).orElse(null);
            if (existing != null) {
                return existing;
            }
            try {
                return repository.insert(DomainAuthorization.create(accountId, base, labels.newLabel(),
                        properties.delegationZone(), clock.instant()));
            } catch (DuplicateKeyException e) {
                // created concurrently (or, beyond belief, a label collision): read again
            }
        }
        return repository.findById(id).orElseThrow(() -> new IllegalStateException("cannot create authorization " + id));
    }

    /**
     * The account's existing authorizations of these (base) domains, by domain. Read by id ({@code accountId/domain}),
     * which every store answers from its primary index: a query on account and domain read every authorization on
     * a store without that index, so each new domain made the next lookups slower (docs/benchmarks.md, bench events).
     */
    public Map<String, DomainAuthorization> find(String accountId, Collection<String> domains) {
        Map<String, DomainAuthorization> byDomain = new LinkedHashMap<>();
        for (DomainAuthorization a : repository.findAllById(
                domains.stream().map(d -> DomainAuthorization.idOf(accountId, d)).toList())) {
            byDomain.put(a.getDomain(), a);
        }
        return byDomain;
    }

    /** Saves a changed authorization; fails on a concurrent change (optimistic locking). */
    public DomainAuthorization save(DomainAuthorization authorization) {
        return repository.save(authorization);
    }

    /** Reads an authorization again by id. */
    public DomainAuthorization reload(DomainAuthorization authorization) {
        return repository.findById(authorization.getId()).orElseThrow();
    }
}
