package io.certflow.hosting.renewal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * When hosting renews, configurable per deployment.
 *
 * @param renewWhenRemainingShare renew when this share of a certificate's lifetime remains (0 &lt; share &lt; 1);
 *                                0.3333 renews a 90-day certificate 30 days before it expires
 * @param renewBefore             renew this long before expiry instead of by the share (unset: by the share); a
 *                                certificate living no longer than this is renewed by the share
 * @param renewalJitter           renew up to this share of the lifetime earlier, at random per certificate, so that
 *                                certificates issued together do not renew together (0: none)
 * @param claimLease              how long a scheduler instance holds the due certificates it claimed; a crashed
 *                                instance's claims are taken by another after it
 * @param renewalCheckInterval    how often the scheduler looks for due certificates
 * @param renewalBatchSize        the most certificates one look renews before the next batch
 * @param retryInitialBackoff     wait after the first failed renewal
 * @param retryMaxBackoff         longest wait; each further failure doubles the wait up to it
 * @param renewalTimeout          a renewal not answered (issued or failed) within this time counts as failed,
 *                                so that a lost answer never leaves a certificate {@code RENEWING} until it expires
 */
@ConfigurationProperties("certflow.hosting")
public record HostingProperties(@DefaultValue("0.3333") double renewWhenRemainingShare,
                                Duration renewBefore,
                                @DefaultValue("0.05") double renewalJitter,
                                @DefaultValue("2m") Duration claimLease,
                                @DefaultValue("10s") Duration renewalCheckInterval,
                                @DefaultValue("100") int renewalBatchSize,
                                @DefaultValue("1h") Duration retryInitialBackoff,
                                @DefaultValue("32h") Duration retryMaxBackoff,
                                @DefaultValue("24h") Duration renewalTimeout) {

    public HostingProperties {
        if (!(renewWhenRemainingShare > 0 && renewWhenRemainingShare < 1)) {
            throw new IllegalArgumentException("certflow.hosting.renew-when-remaining-share must be between 0 and 1, was "
                    + renewWhenRemainingShare);
        }
        if (renewalBatchSize < 1) {
            throw new IllegalArgumentException("certflow.hosting.renewal-batch-size must be at least 1");
        }
        if (retryInitialBackoff.isNegative() || retryInitialBackoff.isZero()
                || retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException("certflow.hosting retry backoff must be positive, and the maximum "
                    + "at least the initial one");
        }
        if (!(renewalJitter >= 0 && renewalJitter + renewWhenRemainingShare < 1)) {
            throw new IllegalArgumentException("certflow.hosting.renewal-jitter must be at least 0, and with "
                    + "renew-when-remaining-share below 1, was " + renewalJitter);
        }
        if (renewBefore != null && (renewBefore.isNegative() || renewBefore.isZero())) {
            throw new IllegalArgumentException("certflow.hosting.renew-before must be positive");
        }
        if (claimLease.isNegative() || claimLease.isZero()) {
            throw new IllegalArgumentException("certflow.hosting.claim-lease must be positive");
        }
        if (renewalTimeout.isNegative() || renewalTimeout.isZero()) {
            throw new IllegalArgumentException("certflow.hosting.renewal-timeout must be positive");
        }
    }

    /** The policy these settings describe. */
    public RenewalPolicy policy() {
        return new RenewalPolicy(renewWhenRemainingShare, renewBefore, renewalJitter, retryInitialBackoff, retryMaxBackoff);
    }
}
