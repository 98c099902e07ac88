package io.certflow.hosting.web;

import java.util.UUID;

/**
 * Answer to a manual renewal: the renewal runs, and its {@code RenewalDue} event id lets the caller
 * follow it downstream.
 *
 * @param certificateId  the certificate
 * @param renewalEventId the {@code RenewalDue} event id
 */
public record RenewalAccepted(String certificateId, UUID renewalEventId) {
}
