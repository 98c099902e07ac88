package io.certflow.console.timeline;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How a certificate's timeline reads its events off the topics.
 *
 * @param margin     events are read from this long before the certificate was ordered (clocks of producers differ)
 * @param maxScanned the most records looked at per topic for one timeline (newest first); a certificate with older
 *                   events says its timeline was cut
 */
@ConfigurationProperties("certflow.console.timeline")
public record TimelineProperties(@DefaultValue("5m") Duration margin,
                                 @DefaultValue("50000") int maxScanned) {

    public TimelineProperties {
        if (margin.isNegative() || maxScanned < 1) {
            throw new IllegalArgumentException("certflow.console.timeline.margin must not be negative and "
                    + "max-scanned must be at least 1");
        }
    }
}
