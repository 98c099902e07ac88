package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.RenewalAdvice;
import io.certflow.issuance.ca.RenewalInformation;
import io.certflow.issuance.ca.RenewalWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Asks a CA once for the renewal window of one certificate and decides when to ask again: the CA's
 * {@code Retry-After} clamped to {@link RenewalInfoProperties}' bounds. Exists so that issuing and the
 * refresher share one rule, and so that asking can never fail or delay anything: every error becomes
 * "no answer, ask again later".
 */
public class RenewalInfoCheck {

    private static final Logger log = LoggerFactory.getLogger(RenewalInfoCheck.class);

    /** The default bounds: at least 1 minute, at most 1 day, 6 hours without a {@code Retry-After}. */
    public static final RenewalInfoCheck DEFAULTS = new RenewalInfoCheck(Duration.ofMinutes(1), Duration.ofDays(1),
            Duration.ofHours(6));

    private final Duration minInterval;
    private final Duration maxInterval;
    private final Duration defaultInterval;

    public RenewalInfoCheck(Duration minInterval, Duration maxInterval, Duration defaultInterval) {
        this.minInterval = minInterval;
        this.maxInterval = maxInterval;
        this.defaultInterval = defaultInterval;
    }

    /** The check of the configuration. */
    public static RenewalInfoCheck of(RenewalInfoProperties properties) {
        return new RenewalInfoCheck(properties.minCheckInterval(), properties.maxCheckInterval(),
                properties.defaultCheckInterval());
    }

    /**
     * What asking came to.
     *
     * @param window      the CA's window, or null when it gave none (no ARI, or no answer this time)
     * @param nextCheckAt when to ask again, or null: never (the CA offers no renewal information)
     * @param answered    whether the CA answered with a window
     */
    public record Outcome(RenewalWindow window, Instant nextCheckAt, boolean answered) {
    }

    /** Asks {@code ca} about {@code certificatePem}; never throws. */
    public Outcome check(RenewalInformation ca, CaAccount account, String certificatePem, Instant now) {
        try {
            Optional<RenewalAdvice> advice = ca.fetch(account, certificatePem);
            if (advice.isEmpty()) {
                return new Outcome(null, null, false);
            }
            return new Outcome(advice.get().window(), clamp(advice.get().retryAfter(), now), true);
        } catch (CaException e) {
            return unanswered(e, now);
        } catch (RuntimeException e) {
            log.warn("renewal information: unexpected failure, asking again later: {}", e.toString());
            return new Outcome(null, now.plus(defaultInterval), false);
        }
    }

    /**
     * No answer because of {@code failure}: a transient one is asked again at its {@code Retry-After} (or the
     * default interval), a refusal (the CA does not know the certificate) after the longest interval.
     */
    public Outcome unanswered(CaException failure, Instant now) {
        if (failure instanceof CaTransientException transientFailure) {
            log.info("renewal information unavailable, asking again later: {}", failure.getMessage());
            return new Outcome(null, clamp(transientFailure.retryAfter().orElse(null), now), false);
        }
        log.info("the CA refused renewal information ({}): {}", failure.problemType(), failure.getMessage());
        return new Outcome(null, now.plus(maxInterval), false);
    }

    /** {@code retryAfter} (or the default interval when absent) held within [min, max] from {@code now}. */
    Instant clamp(Instant retryAfter, Instant now) {
        Instant wanted = retryAfter == null ? now.plus(defaultInterval) : retryAfter;
        Instant earliest = now.plus(minInterval);
        Instant latest = now.plus(maxInterval);
        return wanted.isBefore(earliest) ? earliest : wanted.isAfter(latest) ? latest : wanted;
    }
}
