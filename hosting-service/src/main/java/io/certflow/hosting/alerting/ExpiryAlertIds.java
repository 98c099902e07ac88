package io.certflow.hosting.alerting;

import io.certflow.hosting.managing.ExpiryAlertKind;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The event id of a {@code CertificateExpiring}, derived from what it reports rather than drawn at
 * random: the certificate, the expiring serial, the kind of alert and the UTC day. Two instances (or a
 * replay) that raise the same alert on the same day therefore carry the same id and collapse downstream.
 */
public final class ExpiryAlertIds {

    private ExpiryAlertIds() {
    }

    /** The id of the alert of {@code kind} about {@code serialNumber} of {@code certificateId} raised at {@code at}. */
    public static UUID of(String certificateId, String serialNumber, ExpiryAlertKind kind, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        String name = certificateId + '/' + serialNumber + "/expiry/" + kind.name().toLowerCase() + '/' + day;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
