package io.certflow.verification.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.verification.challenge.ChallengeService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Withdraws an issuance attempt's challenge records once the attempt ended, issued or failed: a
 * challenge value is never left in DNS longer than needed.
 */
@Component
public class AttemptEndedListener {

    private final ChallengeService challenges;

    public AttemptEndedListener(ChallengeService challenges) {
        this.challenges = challenges;
    }

    @KafkaListener(topics = Topics.CERTIFICATE_ISSUED)
    public void on(CertificateIssued event) {
        challenges.withdraw(event, event.attemptId());
    }

    @KafkaListener(topics = Topics.ISSUANCE_FAILED)
    public void on(IssuanceFailed event) {
        challenges.withdraw(event, event.attemptId());
    }
}
