package io.certflow.verification.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import org.springframework.data.domain.Pageable;

import java.time.Instant;
import java.util.List;

/** Spring Data access to {@link VerificationRequest}s. */
public interface VerificationRequestRepository extends MongoRepository<VerificationRequest, String> {

    /** The account's requests in {@code state} that need the authorization of {@code domain}. */
    List<VerificationRequest> findByAccountIdAndStateAndAuthorizationDomains(String accountId,
                                                                            VerificationRequest.State state,
                                                                            String domain);

    /** Requests in {@code state} whose chosen method is due to be looked at, the longest due first. */
    List<VerificationRequest> findByStateAndNextMethodCheckAtLessThanEqualOrderByNextMethodCheckAt(
            VerificationRequest.State state, Instant now, Pageable page);

    /** The account's requests (any state) that need the authorization of {@code domain}. */
    List<VerificationRequest> findByAccountIdAndAuthorizationDomains(String accountId, String domain);
}
