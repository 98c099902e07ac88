package io.certflow.verification.persistence;

import io.certflow.testsupport.InMemoryMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.repository.support.MongoRepositoryFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Ended attempts are forgotten after a while, but never while a provider value still waits to be removed. */
class ChallengeRecordsPurgeTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private final InMemoryMongo mongo = InMemoryMongo.start("purge");
    private final ChallengeRecordsRepository repository =
            new MongoRepositoryFactory(mongo.template()).getRepository(ChallengeRecordsRepository.class);

    @AfterEach
    void stop() {
        mongo.close();
    }

    @Test
    void deletesOnlyAttemptsThatEndedBeforeTheCutoffWithNothingLeftToRemove() {
        ChallengeRecords oldWithdrawn = save("old", NOW.minus(Duration.ofDays(2)), false, true);
        ChallengeRecords recent = save("recent", NOW.minus(Duration.ofHours(1)), false, true);
        ChallengeRecords live = save("live", NOW.minus(Duration.ofDays(2)), false, false);
        ChallengeRecords leftBehind = save("left", NOW.minus(Duration.ofDays(2)), true, true);

        long deleted = repository.deleteByStateInAndEndedAtBeforeAndCleanupPendingIsNull(
                List.of(ChallengeRecords.State.WITHDRAWN, ChallengeRecords.State.FAILED), NOW.minus(Duration.ofDays(1)));

        assertThat(deleted).isEqualTo(1);
        assertThat(repository.findById(oldWithdrawn.getId())).isEmpty();
        assertThat(repository.findById(recent.getId())).isPresent();
        assertThat(repository.findById(live.getId())).isPresent();
        assertThat(repository.findById(leftBehind.getId())).as("a provider value still to remove").isPresent();
    }

    private ChallengeRecords save(String attempt, Instant at, boolean viaProvider, boolean ended) {
        ChallengeRecords c = ChallengeRecords.create("acct", "crt_1", attempt);
        ChallengeRecords.Entry entry = viaProvider
                ? ChallengeRecords.Entry.viaProvider("example.com", "_acme-challenge.example.com.", "v", "dnscred_1")
                : new ChallengeRecords.Entry("example.com", "l.acme.certflow.test.", "v");
        c.publish(UUID.randomUUID(), List.of(entry), at, at.plusSeconds(120));
        if (viaProvider) {
            c.writeStarted(List.of(entry), at);
        }
        if (ended) {
            c.withdraw(at);
        }
        return repository.save(c);
    }
}
