package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.ExpiryAlert;

import java.time.Instant;

/**
 * What {@link ExpiryAlertPolicy} needs to know about one managed certificate, as plain values, so the
 * policy is pure and tested without documents.
 *
 * @param cancelled        whether its order was cancelled
 * @param hosting          whether certflow renews it (ordered with hosting)
 * @param paused           whether its owner paused hosting
 * @param serialNumber     the live version, or null before the first issuance
 * @param notBefore        when the live version became valid
 * @param notAfter         when the live version expires
 * @param termEndsAt       end of the paid term, or null
 * @param renewalDueAt     when the live version was due for renewal (its first planned renewal), or null
 *                         when none is planned (e.g. the paid term ends first)
 * @param renewalStartedAt when the renewal in progress started, or null
 * @param lastFailure      why the last renewal failed, or null
 * @param failedRenewals   consecutive failed renewals
 * @param nextRenewalAt    the next (retry) renewal, or null
 * @param lastAlert        the last alert raised, or null
 */
public record ExpiryFacts(boolean cancelled, boolean hosting, boolean paused, String serialNumber, Instant notBefore,
                          Instant notAfter, Instant termEndsAt, Instant renewalDueAt, Instant renewalStartedAt,
                          String lastFailure, int failedRenewals, Instant nextRenewalAt, ExpiryAlert lastAlert) {

    /** Whether certflow promised to renew the live version before it expires. */
    boolean renewalPromised() {
        return hosting && !paused && renewalDueAt != null;
    }
}
