package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.ExpiryAlertKind;

import java.time.Instant;

/**
 * What {@link ExpiryAlertPolicy} decided for one certificate at one moment.
 *
 * @param kind        the alert to raise now, or null for none
 * @param reason      why (the alert's reason, or why there is none), for people and logs
 * @param daysLeft    whole days the live version has left (0 when expired)
 * @param nextCheckAt when the certificate needs to be looked at again, or null when no further alert can
 *                    come until its state changes (a new version, a new request)
 */
public record ExpiryDecision(ExpiryAlertKind kind, String reason, long daysLeft, Instant nextCheckAt) {

    /** Whether an alert is raised. */
    public boolean alert() {
        return kind != null;
    }

    static ExpiryDecision none(String reason, Instant nextCheckAt) {
        return new ExpiryDecision(null, reason, 0, nextCheckAt);
    }
}
