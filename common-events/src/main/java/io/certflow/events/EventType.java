package io.certflow.events;

import io.certflow.events.v1.CertificateExpiring;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.MaintenanceWindowsChanged;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.PurchaseAccepted;
import io.certflow.events.v1.PurchaseCancelled;
import io.certflow.events.v1.PurchaseCompleted;
import io.certflow.events.v1.PurchaseRejected;
import io.certflow.events.v1.RenewalDue;
import io.certflow.events.v1.RenewalWindowChanged;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue: each event's logical, versioned CloudEvents type (never a Java class name), its
 * topic and its record class. Producers look up by class, consumers by {@code ce_type}.
 */
public enum EventType {

    PURCHASE_COMPLETED("io.certflow.purchase.completed.v1", Topics.PURCHASE_COMPLETED, PurchaseCompleted.class),
    CERTIFICATE_REQUESTED("io.certflow.certificate.requested.v1", Topics.CERTIFICATE_REQUESTED, CertificateRequested.class),
    DOMAINS_VERIFIED("io.certflow.domains.verified.v1", Topics.DOMAINS_VERIFIED, DomainsVerified.class),
    CHALLENGE_REQUESTED("io.certflow.challenge.requested.v1", Topics.CHALLENGE_REQUESTED, ChallengeRequested.class),
    CHALLENGE_READY("io.certflow.challenge.ready.v1", Topics.CHALLENGE_READY, ChallengeReady.class),
    CERTIFICATE_ISSUED("io.certflow.certificate.issued.v1", Topics.CERTIFICATE_ISSUED, CertificateIssued.class),
    ISSUANCE_FAILED("io.certflow.issuance.failed.v1", Topics.ISSUANCE_FAILED, IssuanceFailed.class),
    RENEWAL_DUE("io.certflow.renewal.due.v1", Topics.RENEWAL_DUE, RenewalDue.class),
    DEPLOYMENT_COMPLETED("io.certflow.deployment.completed.v1", Topics.DEPLOYMENT_COMPLETED, DeploymentCompleted.class),
    CERTIFICATE_EXPIRING("io.certflow.certificate.expiring.v1", Topics.CERTIFICATE_EXPIRING, CertificateExpiring.class),
    ORDER_CANCELLED("io.certflow.order.cancelled.v1", Topics.ORDER_CANCELLED, OrderCancelled.class),
    CERTIFICATE_REVOKED("io.certflow.certificate.revoked.v1", Topics.CERTIFICATE_REVOKED, CertificateRevoked.class),
    PURCHASE_ACCEPTED("io.certflow.purchase.accepted.v1", Topics.PURCHASE_ACCEPTED, PurchaseAccepted.class),
    PURCHASE_REJECTED("io.certflow.purchase.rejected.v1", Topics.PURCHASE_REJECTED, PurchaseRejected.class),
    RENEWAL_WINDOW_CHANGED("io.certflow.renewalwindow.changed.v1", Topics.RENEWAL_WINDOW_CHANGED,
            RenewalWindowChanged.class),
    DOMAIN_VERIFICATION_LOST("io.certflow.domainverification.lost.v1", Topics.DOMAIN_VERIFICATION_LOST,
            DomainVerificationLost.class),
    PURCHASE_CANCELLED("io.certflow.purchase.cancelled.v1", Topics.PURCHASE_CANCELLED, PurchaseCancelled.class),
    MAINTENANCE_WINDOWS_CHANGED("io.certflow.maintenancewindows.changed.v1", Topics.MAINTENANCE_WINDOWS_CHANGED,
            MaintenanceWindowsChanged.class);

    private final String ceType;
    private final String topic;
    private final Class<? extends CertflowEvent> recordClass;

    EventType(String ceType, String topic, Class<? extends CertflowEvent> recordClass) {
        this.ceType = ceType;
        this.topic = topic;
        this.recordClass = recordClass;
    }

    /** The CloudEvents {@code type}, e.g. {@code io.certflow.certificate.issued.v1}. */
    public String ceType() {
        return ceType;
    }

    /** The topic the event is published on. */
    public String topic() {
        return topic;
    }

    /** The record class of this version of the event. */
    public Class<? extends CertflowEvent> recordClass() {
        return recordClass;
    }

    /** The type of a record class; every event record has exactly one. */
    public static EventType of(Class<? extends CertflowEvent> recordClass) {
        return Arrays.stream(values())
                .filter(t -> t.recordClass.equals(recordClass))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a catalogued event: " + recordClass.getName()));
    }

    /** The type with this {@code ce_type}, or empty for a type this version does not know. */
    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }
}
