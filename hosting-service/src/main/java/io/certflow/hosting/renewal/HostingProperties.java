package io.certflow.hosting.renewal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * When hosting renews, configurable per deployment.
 *
 * @param renewWhenRemainingShare renew when this share of a certificate's lifetime remains (0 &lt; share &lt; 1);
 *                                0.3333 renews a 90-day certificate 30 days before it expires
 * @param renewalCheckInterval    how often the scheduler looks for due certificates
 * @param renewalBatchSize        the most certificates one look renews before the next batch
 * @param retryInitialBackoff     wait after the first failed renewal
 * @param retryMaxBackoff         longest wait; each further failure doubles the wait up to it
 * @param renewalTimeout          a renewal not answered (issued or failed) within this time counts as failed,
 *                                so that a lost answer never leaves a certificate {@code RENEWING} until it expires
 */
@ConfigurationProperties("certflow.hosting")
public record HostingProperties(@DefaultValue("0.3333") double renewWhenRemainingShare,
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
        if (renewalTimeout.isNegative() || renewalTimeout.isZero()) {
            throw new IllegalArgumentException("certflow.hosting.renewal-timeout must be positive");
        }
    }

    /** The policy these settings describe. */
    public RenewalPolicy policy() {
        return new RenewalPolicy(renewWhenRemainingShare, retryInitialBackoff, retryMaxBackoff);
    }
}
