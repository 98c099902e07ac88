package io.certflow.issuance.persistence;

import io.certflow.events.v1.CertificateRequested;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What issuance-service knows of one managed certificate (the stable {@code certificateId}): the
 * request (domains, key type, CA profile), the latest attempt it started, and the serial issued last.
 * Exists as the one document that serializes decisions per certificate: two triggers racing to start
 * an attempt both write it with the version check, so only one of them wins.
 */
@Document("certificates")
public class ManagedCertificateRecord extends Aggregate {

    private boolean requested;
    private String orderId;
    private List<String> domains = new ArrayList<>();
    private String keyType;
    private boolean reuseKey;
    private String caProfile;
    private boolean hosting;
    private Instant termEndsAt;
    private boolean cancelled;
    @org.springframework.data.mongodb.core.index.Indexed(sparse = true)
    private Instant revocationRequestedAt;
    private String currentSerialNumber;
    private LatestAttempt latestAttempt;
    private Instant createdAt;
    private Instant updatedAt;

    protected ManagedCertificateRecord() {
    }

    private ManagedCertificateRecord(String certificateId, String accountId) {
        super(certificateId, accountId);
    }

    /** An empty record, filled by {@link #requested} (the request may arrive after the verification). */
    public static ManagedCertificateRecord create(String certificateId, String accountId, Instant now) {
        ManagedCertificateRecord r = new ManagedCertificateRecord(certificateId, accountId);
        r.createdAt = now;
        r.updatedAt = now;
        return r;
    }

    /** Keeps the request. */
    public void requested(CertificateRequested event, Instant now) {
        requested = true;
        orderId = event.orderId();
        domains = List.copyOf(event.domains());
        keyType = event.keyType();
        reuseKey = Boolean.TRUE.equals(event.reuseKey());
        caProfile = event.caProfile();
        hosting = Boolean.TRUE.equals(event.hosting());
        termEndsAt = event.termEndsAt();
        updatedAt = now;
    }

    /** Points at the attempt a trigger starts; the attempt document is created right after. */
    public void startAttempt(String attemptId, UUID triggerEventId, AttemptTrigger trigger, List<String> domains,
                             String replacesSerialNumber, Instant now) {
        latestAttempt = new LatestAttempt(attemptId, triggerEventId.toString(), trigger,
                domains == null ? List.of() : List.copyOf(domains), replacesSerialNumber);
        updatedAt = now;
    }

    /** The order was cancelled: no new attempts. */
    public void cancel(Instant now) {
        cancelled = true;
        updatedAt = now;
    }

    /** The cancellation asked for the certificate's revocation ({@code OrderCancelled.revoke}); the first time is kept. */
    public void revocationRequested(Instant now) {
        if (revocationRequestedAt == null) {
            revocationRequestedAt = now;
        }
        updatedAt = now;
    }

    /** When a cancellation asked for revocation, or null. */
    public Instant getRevocationRequestedAt() {
        return revocationRequestedAt;
    }

    /** The deterministic id of the attempt a trigger event starts. */
    public static String attemptIdFor(UUID triggerEventId) {
        return UUID.nameUUIDFromBytes(("issuance-attempt:" + triggerEventId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    public boolean isRequested() {
        return requested;
    }

    public String getOrderId() {
        return orderId;
    }

    public List<String> getDomains() {
        return domains;
    }

    /** Whether renewals keep the private key of the version they replace. */
    public boolean isReuseKey() {
        return reuseKey;
    }

    public String getKeyType() {
        return keyType;
    }

    public String getCaProfile() {
        return caProfile;
    }

    public boolean isHosting() {
        return hosting;
    }

    public Instant getTermEndsAt() {
        return termEndsAt;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public String getCurrentSerialNumber() {
        return currentSerialNumber;
    }

    public LatestAttempt getLatestAttempt() {
        return latestAttempt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    /**
     * The attempt a trigger started (or is about to: the attempt document is written after this
     * pointer, and written again from it if that second write was lost).
     *
     * @param attemptId            the attempt id
     * @param triggerEventId       the trigger event
     * @param trigger              first issuance or renewal
     * @param domains              the domains the trigger named (used when the request has none yet)
     * @param replacesSerialNumber the serial a renewal replaces
     */
    public record LatestAttempt(String attemptId, String triggerEventId, AttemptTrigger trigger,
                                List<String> domains, String replacesSerialNumber) {
    }
}
