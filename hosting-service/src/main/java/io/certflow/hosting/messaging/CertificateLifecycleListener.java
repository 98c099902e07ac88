package io.certflow.hosting.messaging;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.CertificateRevoked;
import io.certflow.events.v1.DeploymentCompleted;
import io.certflow.events.v1.DomainVerificationLost;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalWindowChanged;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.renewal.RenewalPolicy;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.messaging.RejectedEventException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows each certificate's life from the other services' events, each applied once. Events of
 * one certificate may arrive in any order across topics, so a request, an issuance or a
 * cancellation each start tracking a certificate not seen before; a failure, a deployment or a
 * revocation of an unknown certificate is ignored. A revocation of the live version starts its renewal.
 * A renewal window the CA moved (RFC 9773 ARI) plans the renewal again; one of an unknown certificate is ignored.
 */
@Component
public class CertificateLifecycleListener {

    private final IdempotentApply apply;
    private final RenewalPolicy policy;
    private final Clock clock;

    public CertificateLifecycleListener(IdempotentApply apply, RenewalPolicy policy, Clock clock) {
        this.apply = apply;
        this.policy = policy;
        this.clock = clock;
    }

    @KafkaListener(topics = Topics.CERTIFICATE_REQUESTED)
    public void on(CertificateRequested event) {
        applyTo(event, track(event), c -> c.requested(event, policy, clock.instant()));
    }

    @KafkaListener(topics = Topics.CERTIFICATE_ISSUED)
    public void on(CertificateIssued event) {
        applyTo(event, track(event), c -> c.issued(event, policy, clock.instant()));
    }

    @KafkaListener(topics = Topics.ISSUANCE_FAILED)
    public void on(IssuanceFailed event) {
        applyTo(event, null, c -> c.issuanceFailed(event, policy, clock.instant()));
    }

    @KafkaListener(topics = Topics.DEPLOYMENT_COMPLETED)
    public void on(DeploymentCompleted event) {
        applyTo(event, null, c -> c.deployed(event, clock.instant()));
    }

    @KafkaListener(topics = Topics.ORDER_CANCELLED)
    public void on(OrderCancelled event) {
        applyTo(event, track(event), c -> c.cancelled(event, clock.instant()));
    }

    @KafkaListener(topics = Topics.CERTIFICATE_REVOKED)
    public void on(CertificateRevoked event) {
        applyTo(event, null, c -> c.revoked(event, clock.instant()));
    }

    @KafkaListener(topics = Topics.DOMAIN_VERIFICATION_LOST)
    public void on(DomainVerificationLost event) {
        applyTo(event, null, c -> c.verificationLost(event, clock.instant()));
    }

    @KafkaListener(topics = Topics.RENEWAL_WINDOW_CHANGED)
    public void on(RenewalWindowChanged event) {
        applyTo(event, null, c -> c.renewalWindowChanged(event, policy, clock.instant()));
    }

    private Supplier<ManagedCertificate> track(CertificateEvent event) {
        return () -> ManagedCertificate.track(event.certificateId(), event.accountId(), clock.instant());
    }

    private void applyTo(CertificateEvent event, Supplier<ManagedCertificate> createIfMissing,
                         Consumer<ManagedCertificate> change) {
        apply.apply(ManagedCertificate.class, event.certificateId(), event, createIfMissing, certificate -> {
            if (!certificate.belongsTo(event)) {
                throw new RejectedEventException("certificate " + event.certificateId() + " belongs to another account than "
                        + "the event's (" + event.accountId() + ")");
            }
            change.accept(certificate);
        });
    }
}
