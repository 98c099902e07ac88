package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.platform.polling.PollGate;
import org.bson.Document;
import org.springframework.data.mongodb.core.mapping.event.AfterSaveCallback;

/**
 * Ends the {@link AttemptPoller}'s quiet when this process saves an attempt that needs the CA (a new one, one a
 * step or an event moved on), through Spring Data's {@link AfterSaveCallback} on every save and insert. Depends on
 * the gate alone: the Mongo converter collects the entity callbacks when it is made.
 */
public class AttemptSaves implements AfterSaveCallback<IssuanceAttempt> {

    private final PollGate gate;

    public AttemptSaves(PollGate gate) {
        this.gate = gate;
    }

    @Override
    public IssuanceAttempt onAfterSave(IssuanceAttempt attempt, Document document, String collection) {
        if (AttemptState.POLLED.contains(attempt.getState())) {
            gate.signal();
        }
        return attempt;
    }
}
