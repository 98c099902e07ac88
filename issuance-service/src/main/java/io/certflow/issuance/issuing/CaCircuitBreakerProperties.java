package io.certflow.issuance.issuing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The CA circuit breaker ({@code certflow.issuance.circuit-breaker.*}, see {@link CaCircuitBreaker}).
 *
 * @param enabled              false: every attempt asks the CA on its own backoff, as before
 * @param window               how many of the last requests to a CA are counted
 * @param failureRateThreshold the share (percent) of them that failed to reach the CA at which the circuit opens
 * @param openFor              how long an open circuit lets no request through before one probe may go
 * @param probes               requests let through to a CA whose circuit is half open; all succeeding closes it
 * @param recheckInterval      how often an attempt parked by an open circuit looks again
 */
@ConfigurationProperties("certflow.issuance.circuit-breaker")
public record CaCircuitBreakerProperties(@DefaultValue("true") boolean enabled,
                                         @DefaultValue("10") int window,
                                         @DefaultValue("50") int failureRateThreshold,
                                         @DefaultValue("30s") Duration openFor,
                                         @DefaultValue("2") int probes,
                                         @DefaultValue("5s") Duration recheckInterval) {

    public CaCircuitBreakerProperties {
        if (window < 1 || probes < 1 || failureRateThreshold < 1 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("certflow.issuance.circuit-breaker: window and probes at least 1,"
                    + " failure-rate-threshold 1..100");
        }
    }
}
