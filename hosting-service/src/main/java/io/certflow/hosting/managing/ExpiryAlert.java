package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * The last expiry alert a certificate raised, remembered in its document so that the expiry watch
 * never raises the same alert twice (and shown to users as {@code lastAlert}).
 *
 * @param kind         what it was about
 * @param serialNumber the version it was about
 * @param daysLeft     whole days that version had left
 * @param reason       the reason given to people
 * @param eventId      the id of the {@code CertificateExpiring} raised
 * @param at           when it was raised
 */
public record ExpiryAlert(ExpiryAlertKind kind, String serialNumber, long daysLeft, String reason, String eventId,
                          Instant at) {
}
