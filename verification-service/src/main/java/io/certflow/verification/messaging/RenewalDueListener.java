package io.certflow.verification.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.RenewalDue;
import io.certflow.platform.apply.AccountCheck;
import io.certflow.verification.delegation.VerificationRechecker;
import io.certflow.verification.persistence.VerificationRequestRepository;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * A renewal is due: the certificate's domains are re-checked right away (by the scheduler, never on this thread),
 * so that a delegation that was lost is reported before the renewal's challenge fails on it. A RenewalDue naming
 * another account's certificate is refused ({@link AccountCheck}).
 */
@Component
public class RenewalDueListener {

    private final VerificationRechecker rechecker;
    private final VerificationRequestRepository requests;

    public RenewalDueListener(VerificationRechecker rechecker, VerificationRequestRepository requests) {
        this.rechecker = rechecker;
        this.requests = requests;
    }

    @KafkaListener(topics = Topics.RENEWAL_DUE)
    public void on(RenewalDue event) {
        requests.findById(event.certificateId()).ifPresent(request ->
                AccountCheck.requireOwner(request.getAccountId(), "VerificationRequest " + request.getId(), event));
        rechecker.renewalDue(event.accountId(), event.certificateId());
    }
}
