package io.certflow.verification.challenge;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ChallengeService#checkPublished()} and {@link ProviderPublisher#cleanUp()} on the
 * scheduler: writing through a provider and waiting for DNS to serve a record are the kind of steps
 * that never block a listener thread.
 */
@Component
public class ChallengePropagationChecker {

    private final ChallengeService challenges;
    private final ProviderPublisher providers;

    public ChallengePropagationChecker(ChallengeService challenges, ProviderPublisher providers) {
        this.challenges = challenges;
        this.providers = providers;
    }

    @Scheduled(fixedDelayString = "${certflow.verification.challenge.check-interval:1s}")
    public void check() {
        challenges.checkPublished();
        providers.cleanUp();
    }
}
