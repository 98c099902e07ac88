package io.certflow.verification.persistence;

import org.springframework.data.mongodb.repository.MongoRepository;

import java.util.List;

/** Spring Data access to {@link ChallengeRecords}. */
public interface ChallengeRecordsRepository extends MongoRepository<ChallengeRecords, String> {

    List<ChallengeRecords> findByState(ChallengeRecords.State state);

    /** The ended attempts whose provider records are still to be removed. */
    List<ChallengeRecords> findByCleanupPendingTrue();
}
