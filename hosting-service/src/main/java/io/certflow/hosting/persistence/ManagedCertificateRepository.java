package io.certflow.hosting.persistence;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.repository.MongoRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The managed certificates. Reads for a caller always go through the account; the due query runs
 * on the {@code (status, nextRenewalAt)} index.
 */
public interface ManagedCertificateRepository extends MongoRepository<ManagedCertificate, String> {

    /** The certificate {@code id} if it belongs to {@code accountId}. */
    Optional<ManagedCertificate> findByIdAndAccountId(String id, String accountId);

    /** The certificates of an account, newest first. */
    List<ManagedCertificate> findByAccountIdOrderByCreatedAtDesc(String accountId, Pageable page);

    /** The certificates of an account in one status, newest first. */
    List<ManagedCertificate> findByAccountIdAndStatusOrderByCreatedAtDesc(String accountId, CertificateStatus status,
                                                                         Pageable page);

    /** Certificates in {@code status} whose renewal started at or before {@code startedBefore}. */
    List<ManagedCertificate> findByStatusAndRenewalStartedAtLessThanEqual(CertificateStatus status,
                                                                        Instant startedBefore, Pageable page);

    /** Certificates in one of {@code statuses} whose next renewal is at or before {@code now}, earliest first. */
    List<ManagedCertificate> findByStatusInAndNextRenewalAtLessThanEqualOrderByNextRenewalAtAsc(
            Collection<CertificateStatus> statuses, Instant now, Pageable page);

    /** Certificates whose expiry check is due at or before {@code now}, earliest first (the {@code alert-check} index). */
    List<ManagedCertificate> findByAlertCheckAtLessThanEqualOrderByAlertCheckAtAsc(Instant now, Pageable page);
}
