package io.certflow.verification.challenge;

import io.certflow.verification.VerificationProperties;
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
    private final java.time.Clock clock;
    private final java.time.Duration keepEnded;

    public ChallengePropagationChecker(ChallengeService challenges, ProviderPublisher providers, java.time.Clock clock,
                                       VerificationProperties properties) {
        this.challenges = challenges;
        this.providers = providers;
        this.clock = clock;
        this.keepEnded = properties.challenge().keepEnded();
    }

    @Scheduled(fixedDelayString = "${certflow.verification.challenge.check-interval:250ms}")
    public void check() {
        challenges.checkPublished();
        providers.cleanUp();
    }

    /** Forgets ended attempts after {@code certflow.verification.challenge.keep-ended} (1 day). */
    @Scheduled(fixedDelayString = "${certflow.verification.challenge.purge-interval:10m}")
    public void purge() {
        challenges.purgeEnded(clock.instant().minus(keepEnded));
    }
}
