package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.IssuanceAttempt;

/**
 * The outcome of one step with the CA, as a change to apply to the attempt document. Exists so that
 * the poller can apply the same outcome again to a freshly read document when a concurrent event
 * write made its save fail, without calling the CA twice.
 */
@FunctionalInterface
public interface AttemptChange {

    void applyTo(IssuanceAttempt attempt);
}
