package io.certflow.hosting.persistence;

import io.certflow.hosting.managing.ManagedCertificate;
import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.repository.MongoRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The managed certificates. Reads for a caller always go through the account; the jobs that scan use
 * sparse indexes that hold only what they look for.
 */
public interface ManagedCertificateRepository extends MongoRepository<ManagedCertificate, String> {

    /** The certificate {@code id} if it belongs to {@code accountId}. */
    Optional<ManagedCertificate> findByIdAndAccountId(String id, String accountId);

    /** Renewals in flight that started at or before {@code startedBefore} (the sparse {@code renewing} index). */
    List<ManagedCertificate> findByRenewalStartedAtLessThanEqual(Instant startedBefore, Pageable page);

    /** Certificates whose expiry check is due at or before {@code now}, earliest first (the {@code alert-check} index). */
    List<ManagedCertificate> findByAlertCheckAtLessThanEqualOrderByAlertCheckAtAsc(Instant now, Pageable page);
}
