package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ExpiryAlert;

import java.time.Instant;

/**
 * What {@link ExpiryAlertPolicy} needs to know about one managed certificate, as plain values, so the
 * policy is pure and tested without documents.
 *
 * @param status           its status
 * @param hosting          whether certflow renews it
 * @param serialNumber     the live version, or null before the first issuance
 * @param notAfter         when the live version expires
 * @param termEndsAt       end of the paid term, or null
 * @param renewalDueAt     when the live version was due for renewal (its first scheduled renewal), or null
 *                         when none is planned (e.g. the paid term ends first)
 * @param renewalStartedAt when the renewal in progress started, or null
 * @param lastFailure      why the last renewal failed, or null
 * @param failedRenewals   consecutive failed renewals
 * @param nextRenewalAt    the next (retry) renewal, or null
 * @param lastAlert        the last alert raised, or null
 */
public record ExpiryFacts(CertificateStatus status, boolean hosting, String serialNumber, Instant notAfter,
                          Instant termEndsAt, Instant renewalDueAt, Instant renewalStartedAt, String lastFailure,
                          int failedRenewals, Instant nextRenewalAt, ExpiryAlert lastAlert) {
}
