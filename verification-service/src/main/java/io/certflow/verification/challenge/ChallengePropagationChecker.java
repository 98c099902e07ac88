package io.certflow.verification.challenge;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ChallengeService#checkPublished()} on the scheduler: waiting for DNS to serve a record
 * is the kind of step that never blocks a listener thread.
 */
@Component
public class ChallengePropagationChecker {

    private final ChallengeService challenges;

    public ChallengePropagationChecker(ChallengeService challenges) {
        this.challenges = challenges;
    }

    @Scheduled(fixedDelayString = "${certflow.verification.challenge.check-interval:1s}")
    public void check() {
        challenges.checkPublished();
    }
}
