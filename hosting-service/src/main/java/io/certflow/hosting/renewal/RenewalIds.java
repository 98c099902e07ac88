package io.certflow.hosting.renewal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The event id of a {@code RenewalDue}, derived from what it renews rather than drawn at random:
 * the certificate, the serial being replaced, whether a person asked, and how many renewals of that
 * serial failed before. Two emissions of the same renewal (two scheduler instances, a replay)
 * therefore carry the same id and collapse into one issuance attempt downstream, while a retry
 * after a failure is a new renewal with a new id.
 */
public final class RenewalIds {

    private RenewalIds() {
    }

    /**
     * @param certificateId the managed certificate
     * @param serialNumber  its current serial
     * @param manual        whether a person asked for the renewal
     * @param retry         consecutive failed renewals before this one (0 for the first try)
     */
    public static UUID of(String certificateId, String serialNumber, boolean manual, int retry) {
        StringBuilder name = new StringBuilder(certificateId).append('/').append(serialNumber);
        if (manual) {
            name.append("/manual");
        }
        if (retry > 0) {
            name.append("/retry-").append(retry);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The id of the renewal that replaces a revoked serial: the certificate, that serial and
     * {@code revoked}, so that a replayed revocation collapses into the same renewal.
     */
    public static UUID revoked(String certificateId, String serialNumber) {
        return UUID.nameUUIDFromBytes((certificateId + '/' + serialNumber + "/revoked").getBytes(StandardCharsets.UTF_8));
    }
}
