package io.certflow.verification.challenge;

import io.certflow.platform.polling.PollGate;
import io.certflow.verification.persistence.ChallengeRecords;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeSavesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    @Test
    void publishedRecordsSavedHereWakeTheRestingChecker() {
        PollGate gate = resting();
        ChallengeRecords records = ChallengeRecords.create("acc", "crt-1", "att-1");
        records.publish(UUID.randomUUID(), List.of(new ChallengeRecords.Entry("example.test", "x.acme.test.", "v")), NOW,
                NOW.plusSeconds(300));

        new ChallengeSaves(gate).onAfterSave(records, new Document(), "challengeRecords");

        assertThat(gate.isQuiet()).isFalse();
    }

    @Test
    void recordsWithNothingLeftToCheckLeaveItResting() {
        PollGate gate = resting();
        ChallengeRecords records = ChallengeRecords.create("acc", "crt-1", "att-1");
        records.publish(UUID.randomUUID(), List.of(new ChallengeRecords.Entry("example.test", "x.acme.test.", "v")), NOW,
                NOW.plusSeconds(300));
        records.markServed(NOW);

        new ChallengeSaves(gate).onAfterSave(records, new Document(), "challengeRecords");

        assertThat(gate.isQuiet()).isTrue();
    }

    private static PollGate resting() {
        PollGate gate = new PollGate(Duration.ofMinutes(5));
        gate.quietFor(Duration.ofMinutes(5), gate.mark());
        return gate;
    }
}
