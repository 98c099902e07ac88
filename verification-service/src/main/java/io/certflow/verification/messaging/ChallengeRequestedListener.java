package io.certflow.verification.messaging;

import io.certflow.events.Topics;
import io.certflow.events.v1.ChallengeRequested;
import io.certflow.verification.challenge.ChallengeService;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Stores the TXT records issuance asks for; the scheduled check answers {@code ChallengeReady}
 * once the DNS server serves them (this thread never waits for DNS).
 */
@Component
public class ChallengeRequestedListener {

    private final ChallengeService challenges;

    public ChallengeRequestedListener(ChallengeService challenges) {
        this.challenges = challenges;
    }

    @KafkaListener(topics = Topics.CHALLENGE_REQUESTED)
    public void on(ChallengeRequested event) {
        challenges.publish(event);
    }
}
