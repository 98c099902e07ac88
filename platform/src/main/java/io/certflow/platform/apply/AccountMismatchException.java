package io.certflow.platform.apply;

import io.certflow.platform.messaging.RejectedEventException;

/**
 * An event names an aggregate of another account than its own. Refused, never retried: the record
 * goes to the dead-letter topic with a reason starting {@value #REASON}.
 */
public class AccountMismatchException extends RejectedEventException {

    /** The reason's prefix on the dead-letter topic, for operators and alerts to match. */
    public static final String REASON = "account-mismatch";

    public AccountMismatchException(String detail) {
        super(REASON + ": " + detail);
    }
}
