package io.certflow.verification.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.RenewalDue;
import io.certflow.verification.delegation.VerificationRechecker;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A renewal is due: the certificate's domains are re-checked right away (by the scheduler, never on this thread),
 * so that a delegation that was lost is reported before the renewal's challenge fails on it.
 */
@Component
public class RenewalDueListener {

    private final VerificationRechecker rechecker;

    public RenewalDueListener(VerificationRechecker rechecker) {
        this.rechecker = rechecker;
    }

    @KafkaListener(topics = Topics.RENEWAL_DUE)
    public void on(RenewalDue event) {
        rechecker.renewalDue(event.accountId(), event.certificateId());
    }
}
