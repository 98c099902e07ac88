package io.certflow.hosting.alerting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * When hosting raises expiry alerts ({@code CertificateExpiring}), configurable per deployment.
 *
 * @param grace         how long after its renewal time a version that was not replaced is reported as overdue
 * @param warnBefore    how long before expiry the repeated {@code EXPIRING} alerts start
 * @param repeatEvery   the least time between two {@code EXPIRING} alerts of one version (a daily reminder)
 * @param checkInterval how often the expiry watch looks for certificates to check
 * @param batchSize     the most certificates one look loads before the next batch
 */
@ConfigurationProperties("certflow.hosting.alerts")
public record ExpiryAlertProperties(@DefaultValue("1h") Duration grace,
                                    @DefaultValue("7d") Duration warnBefore,
                                    @DefaultValue("1d") Duration repeatEvery,
                                    @DefaultValue("1m") Duration checkInterval,
                                    @DefaultValue("100") int batchSize) {

    public ExpiryAlertProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("certflow.hosting.alerts.batch-size must be at least 1");
        }
        policy(grace, warnBefore, repeatEvery);
    }

    /** The policy these settings describe. */
    public ExpiryAlertPolicy policy() {
        return policy(grace, warnBefore, repeatEvery);
    }

    private static ExpiryAlertPolicy policy(Duration grace, Duration warnBefore, Duration repeatEvery) {
        return new ExpiryAlertPolicy(grace, warnBefore, repeatEvery);
    }
}
