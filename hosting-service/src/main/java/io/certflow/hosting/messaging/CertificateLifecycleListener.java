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
import io.certflow.hosting.maintenance.MaintenanceCalendar;
import io.certflow.hosting.managing.RenewalTrigger;
import io.certflow.hosting.metrics.RenewalMetrics;
import io.certflow.platform.apply.IdempotentApply;
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
 * Renewals are planned under the account's maintenance windows.
 */
@Component
public class CertificateLifecycleListener {

    private final IdempotentApply apply;
    private final MaintenanceCalendar calendar;
    private final RenewalMetrics metrics;
    private final Clock clock;

    public CertificateLifecycleListener(IdempotentApply apply, MaintenanceCalendar calendar, RenewalMetrics metrics,
                                       Clock clock) {
        this.apply = apply;
        this.calendar = calendar;
        this.metrics = metrics;
        this.clock = clock;
    }

    @KafkaListener(topics = Topics.CERTIFICATE_REQUESTED)
    public void on(CertificateRequested event) {
        applyTo(event, track(event), c -> c.requested(event, calendar.plannerFor(event.accountId()), clock.instant()));
    }

    @KafkaListener(topics = Topics.CERTIFICATE_ISSUED)
    public void on(CertificateIssued event) {
        if (endsRenewal(event, track(event), c -> c.issued(event, calendar.plannerFor(event.accountId()), clock.instant()))) {
            metrics.succeeded();
        }
    }

    @KafkaListener(topics = Topics.ISSUANCE_FAILED)
    public void on(IssuanceFailed event) {
        if (endsRenewal(event, null, c -> c.issuanceFailed(event, calendar.plannerFor(event.accountId()), clock.instant()))) {
            metrics.failed(event.problemType());
        }
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
        boolean[] started = {false};
        applyTo(event, null, c -> started[0] = c.revoked(event, clock.instant()) != null);
        if (started[0]) {
            metrics.started(RenewalTrigger.REVOKED);
        }
    }

    @KafkaListener(topics = Topics.DOMAIN_VERIFICATION_LOST)
    public void on(DomainVerificationLost event) {
        applyTo(event, null, c -> c.verificationLost(event, clock.instant()));
    }

    @KafkaListener(topics = Topics.RENEWAL_WINDOW_CHANGED)
    public void on(RenewalWindowChanged event) {
        applyTo(event, null, c -> c.renewalWindowChanged(event, calendar.plannerFor(event.accountId()), clock.instant()));
    }

    /** Applies {@code change}; whether it ended the renewal in flight (for the renewal counters). */
    private boolean endsRenewal(CertificateEvent event, Supplier<ManagedCertificate> createIfMissing,
                                Consumer<ManagedCertificate> change) {
        boolean[] ended = {false};
        applyTo(event, createIfMissing, c -> {
            boolean renewing = c.getPendingRenewalEventId() != null;
            change.accept(c);
            ended[0] = renewing && c.getPendingRenewalEventId() == null;
        });
        return ended[0];
    }

    private Supplier<ManagedCertificate> track(CertificateEvent event) {
        return () -> ManagedCertificate.track(event.certificateId(), event.accountId(), clock.instant());
    }

    private void applyTo(CertificateEvent event, Supplier<ManagedCertificate> createIfMissing,
                         Consumer<ManagedCertificate> change) {
        // IdempotentApply refuses an event of another account than the certificate's (AccountCheck)
        apply.apply(ManagedCertificate.class, event.certificateId(), event, createIfMissing, change);
    }
}
