package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.ExpiryAlertKind;
import io.certflow.hosting.managing.ExpiryState;

import java.time.Instant;

/**
 * What {@link ExpiryAlertPolicy} decided for one certificate at one moment.
 *
 * @param kind        the alert to raise now, or null for none
 * @param reason      why (the alert's reason, or why there is none), for people and logs
 * @param daysLeft    whole days the live version has left (0 when expired)
 * @param expiry      how close the live version is to its end now (shown as the certificate's status)
 * @param nextCheckAt when the certificate needs to be looked at again, or null when nothing can change
 *                    until its state does (a new version, a new request)
 */
public record ExpiryDecision(ExpiryAlertKind kind, String reason, long daysLeft, ExpiryState expiry,
                             Instant nextCheckAt) {

    /** Whether an alert is raised. */
    public boolean alert() {
        return kind != null;
    }

    static ExpiryDecision none(String reason, ExpiryState expiry, Instant nextCheckAt) {
        return new ExpiryDecision(null, reason, 0, expiry, nextCheckAt);
    }
}
