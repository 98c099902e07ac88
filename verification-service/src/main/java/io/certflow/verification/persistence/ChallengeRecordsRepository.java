package io.certflow.verification.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;

/** Spring Data access to {@link ChallengeRecords}. */
public interface ChallengeRecordsRepository extends MongoRepository<ChallengeRecords, String> {

    List<ChallengeRecords> findByState(ChallengeRecords.State state);

    /** Deletes ended attempts (nothing left to remove through a provider) that ended before {@code cutoff}. */
    long deleteByStateInAndEndedAtBeforeAndCleanupPendingIsNull(java.util.Collection<ChallengeRecords.State> states,
                                                              java.time.Instant cutoff);

    /** The ended attempts whose provider records are still to be removed. */
    List<ChallengeRecords> findByCleanupPendingTrue();
}
