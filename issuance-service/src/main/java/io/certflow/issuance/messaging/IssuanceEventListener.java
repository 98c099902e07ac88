package io.certflow.issuance.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.issuance.issuing.AttemptStarter;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The topics issuance-service consumes. Each listener only updates documents through
 * {@link AttemptStarter} (idempotently, by event id); none ever calls the CA or waits.
 */
@Component
public class IssuanceEventListener {

    private final AttemptStarter starter;

    public IssuanceEventListener(AttemptStarter starter) {
        this.starter = starter;
    }

    @KafkaListener(topics = Topics.CERTIFICATE_REQUESTED)
    public void on(CertificateRequested event) {
        starter.requested(event);
    }

    @KafkaListener(topics = Topics.DOMAINS_VERIFIED)
    public void on(DomainsVerified event) {
        starter.domainsVerified(event);
    }

    @KafkaListener(topics = Topics.RENEWAL_DUE)
    public void on(RenewalDue event) {
        starter.renewalDue(event);
    }

    @KafkaListener(topics = Topics.CHALLENGE_READY)
    public void on(ChallengeReady event) {
        starter.challengeReady(event);
    }

    @KafkaListener(topics = Topics.ORDER_CANCELLED)
    public void on(OrderCancelled event) {
        starter.orderCancelled(event);
    }
}
