package io.certflow.issuance.issuing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One resilience4j circuit breaker per CA profile ({@code ca-<profile>}), so that a CA that cannot be reached is not
 * asked by every attempt on its own backoff until each gives up: once {@code failure-rate-threshold} percent of the
 * last {@code window} requests failed to reach it (network errors, timeouts, 5xx), the circuit opens and every
 * attempt of that profile is parked, nothing counted towards giving up, until {@code open-for} has passed; then a few
 * probes go through, and their success closes the circuit and the attempts resume. A refusal or a rate limit is an
 * answer: it counts as the CA reached. The state is published as the metric
 * {@code resilience4j.circuitbreaker.state{name=ca-<profile>}}.
 */
public class CaCircuitBreaker {

    /** No circuit: every request goes to the CA (unit tests, and {@code enabled: false}). */
    public static final CaCircuitBreaker NONE = new CaCircuitBreaker(null, (CircuitBreakerConfig) null, null);

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerConfig config;
    private final CaCircuitBreakerProperties properties;

    /** Breakers from {@code registry} (so the actuator's metrics see them), timed by {@code clock}. */
    public CaCircuitBreaker(CircuitBreakerRegistry registry, CaCircuitBreakerProperties properties, java.time.Clock clock) {
        this(registry, configOf(properties, clock), properties);
    }

    private CaCircuitBreaker(CircuitBreakerRegistry registry, CircuitBreakerConfig config,
                             CaCircuitBreakerProperties properties) {
        this.registry = registry;
        this.config = config;
        this.properties = properties;
    }

    /** The breaker of a profile's CA, e.g. to read its state. */
    public Optional<CircuitBreaker> of(String profile) {
        return registry == null ? Optional.empty() : Optional.of(registry.circuitBreaker("ca-" + profile, config));
    }

    /**
     * Asks to send a request to the profile's CA now: empty when it may go (the caller then reports
     * {@link #reached} or {@link #unreachable}), else when the parked attempt should look again.
     */
    public Optional<Instant> parkedUntil(String profile, Instant now) {
        return of(profile).filter(b -> !b.tryAcquirePermission()).map(b -> now.plus(properties.recheckInterval()));
    }

    /** The CA answered (whatever it said). */
    public void reached(String profile) {
        of(profile).ifPresent(b -> b.onSuccess(0, TimeUnit.MILLISECONDS));
    }

    /** The CA could not be reached, or failed on its side. */
    public void unreachable(String profile, Throwable cause) {
        of(profile).ifPresent(b -> b.onError(0, TimeUnit.MILLISECONDS, cause));
    }

    /** Neither: the step failed here (a bug, a store error); the permission is given back. */
    public void released(String profile) {
        of(profile).ifPresent(CircuitBreaker::releasePermission);
    }

    private static CircuitBreakerConfig configOf(CaCircuitBreakerProperties p, java.time.Clock clock) {
        return CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(p.window())
                .minimumNumberOfCalls(p.window())
                .failureRateThreshold(p.failureRateThreshold())
                .waitDurationInOpenState(p.openFor())
                .permittedNumberOfCallsInHalfOpenState(p.probes())
                .build();
    }
}
