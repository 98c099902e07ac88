package io.certflow.verification.challenge;

import io.certflow.platform.polling.PollGate;
import io.certflow.verification.VerificationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link ChallengeService#checkPublished()} and {@link ProviderPublisher#cleanUp()} on the
 * scheduler: writing through a provider and waiting for DNS to serve a record are the kind of steps
 * that never block a listener thread. While no attempt is published and nothing is left to remove, it rests
 * ({@link PollGate}) until records are saved here or for at most a second.
 */
@Component
public class ChallengePropagationChecker {

    /** The longest the checker rests while there is nothing to check (records saved here wake it at once). */
    public static final java.time.Duration MAX_QUIET = java.time.Duration.ofSeconds(1);

    private final ChallengeService challenges;
    private final ProviderPublisher providers;
    private final java.time.Clock clock;
    private final java.time.Duration keepEnded;

    private final PollGate gate;

    public ChallengePropagationChecker(ChallengeService challenges, ProviderPublisher providers, java.time.Clock clock,
                                       VerificationProperties properties, PollGate challengePollGate) {
        this.gate = challengePollGate;
        this.challenges = challenges;
        this.providers = providers;
        this.clock = clock;
        this.keepEnded = properties.challenge().keepEnded();
    }

    @Scheduled(fixedDelayString = "${certflow.verification.challenge.check-interval:250ms}")
    public void check() {
        if (!gate.shouldPoll()) {
            return;
        }
        long mark = gate.mark();
        int published = challenges.checkRound().published();
        int cleanups = providers.cleanUp();
        if (published == 0 && cleanups == 0) {
            gate.quietFor(MAX_QUIET, mark); // until this process saves records to serve or remove (ChallengeSaves)
        }
    }

    /** Forgets ended attempts after {@code certflow.verification.challenge.keep-ended} (1 day). */
    @Scheduled(fixedDelayString = "${certflow.verification.challenge.purge-interval:10m}")
    public void purge() {
        challenges.purgeEnded(clock.instant().minus(keepEnded));
    }
}
