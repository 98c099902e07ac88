package io.certflow.verification.challenge;

import io.certflow.platform.polling.PollGate;
import io.certflow.verification.persistence.ChallengeRecords;
import org.bson.Document;
import org.springframework.data.mongodb.core.mapping.event.AfterSaveCallback;

/**
 * Wakes the {@link ChallengePropagationChecker} when this process saves challenge records it has to check
 * (published) or to remove through a provider, through Spring Data's {@link AfterSaveCallback}. Depends on the gate
 * alone: the Mongo converter collects the entity callbacks when it is made.
 */
public class ChallengeSaves implements AfterSaveCallback<ChallengeRecords> {

    private final PollGate gate;

    public ChallengeSaves(PollGate gate) {
        this.gate = gate;
    }

    @Override
    public ChallengeRecords onAfterSave(ChallengeRecords records, Document document, String collection) {
        if (records.getState() == ChallengeRecords.State.PUBLISHED || records.isCleanupPending()) {
            gate.signal();
        }
        return records;
    }
}
