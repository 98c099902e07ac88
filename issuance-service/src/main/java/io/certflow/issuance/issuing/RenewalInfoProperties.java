package io.certflow.issuance.issuing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How issuance-service follows the CA's renewal windows (RFC 9773 ARI), {@code certflow.issuance.renewal-info.*}.
 * Exists so that the bounds on the CA's {@code Retry-After} are named and can be tightened in tests.
 *
 * @param refreshInterval delay between two runs of the {@link RenewalWindowRefresher}
 * @param minCheckInterval least time before a certificate's window is read again, whatever the CA's
 *                         {@code Retry-After} says (protects the CA and certflow from a zero or past value)
 * @param maxCheckInterval longest time before it is read again (a CA may ask for weeks; a mass revocation
 *                         should still be seen within this)
 * @param defaultCheckInterval when to read again when the CA sent no {@code Retry-After}, or could not be reached
 * @param claimLease       how long a claimed version is left alone by other instances' refreshers
 * @param batchSize        versions read per refresher run
 */
@ConfigurationProperties("certflow.issuance.renewal-info")
public record RenewalInfoProperties(@DefaultValue("1m") Duration refreshInterval,
                                    @DefaultValue("1m") Duration minCheckInterval,
                                    @DefaultValue("1d") Duration maxCheckInterval,
                                    @DefaultValue("6h") Duration defaultCheckInterval,
                                    @DefaultValue("2m") Duration claimLease,
                                    @DefaultValue("20") int batchSize) {

    public RenewalInfoProperties {
        if (minCheckInterval.compareTo(maxCheckInterval) > 0) {
            throw new IllegalArgumentException("renewal-info.min-check-interval is longer than max-check-interval");
        }
    }
}
