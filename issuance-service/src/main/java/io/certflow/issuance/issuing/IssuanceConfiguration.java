package io.certflow.issuance.issuing;

import io.certflow.issuance.caa.CaaCheck;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AcmeAccountRepository;
import io.certflow.issuance.persistence.CertificateVersionRepository;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.issuance.persistence.ManagedCertificateRepository;
import io.certflow.platform.apply.IdempotentApply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import io.certflow.platform.polling.PollGate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Clock;

/**
 * Wires issuance-service from {@link IssuanceProperties}: the key vault from the key-encryption key,
 * the CA profile with its adapter and trust, and the state machine's parts.
 */
@Configuration(proxyBeanMethods = false)
public class IssuanceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IssuanceConfiguration.class);
    @Bean
    public EnvelopeEncryption envelopeEncryption(IssuanceProperties properties) {
        KeyEncryptionKey current = KeyEncryptionKey.fromBase64(properties.keyEncryptionKey());
        return new EnvelopeEncryption(current,
                properties.previousKeyEncryptionKeys().stream().map(KeyEncryptionKey::fromBase64).toList());
    }

    @Bean
    public KeyVault keyVault(EnvelopeEncryption envelopeEncryption) {
        return new KeyVault(envelopeEncryption);
    }

    // the CaProfiles bean (every configured CA profile) comes from profiles.CaProfilesConfiguration

    @Bean
    public StoredCaAccounts caAccounts(AcmeAccountRepository repository, KeyVault vault, Clock clock) {
        return new StoredCaAccounts(repository, vault, clock);
    }

    @Bean
    public VersionStore versionStore(CertificateVersionRepository repository) {
        return new StoredVersions(repository);
    }

    @Bean
    public StoredOrderRateLimiter orderRateLimiter(MongoTemplate mongo, IssuanceProperties properties, Clock clock,
                                                   ObjectProvider<MeterRegistry> meters, CaProfiles profiles) {
        IssuanceProperties.RateLimit rateLimit = properties.rateLimit();
        java.util.Map<String, NewOrderLimit> profileLimits = new java.util.HashMap<>();
        profiles.all().forEach(p -> p.settings().rateLimit().ifPresent(l -> profileLimits.put(p.name(), l)));
        StoredOrderRateLimiter limiter = new StoredOrderRateLimiter(mongo,
                new NewOrderLimit(rateLimit.newOrders(), rateLimit.window(), properties.orderPollDelay()), profileLimits);
        MeterRegistry registry = meters.getIfAvailable();
        for (CaProfile caProfile : profiles.all()) {
            String profile = caProfile.name();
            NewOrderLimit limit = limiter.limitFor(profile);
            log.info("new-order limit of profile '{}': {} per {} per ACME account", profile, limit.orders(), limit.window());
            if (registry != null) {
                registerGauges(registry, limiter, profile, clock);
            }
        }
        return limiter;
    }

    private static void registerGauges(MeterRegistry registry, StoredOrderRateLimiter limiter, String profile,
                                       Clock clock) {
        Gauge.builder("certflow.issuance.rate_limit.waiting", limiter, l -> gauge(() -> l.waiting(profile)))
                .description("issuance attempts waiting for a new-order slot").tag("profile", profile)
                .register(registry);
        Gauge.builder("certflow.issuance.rate_limit.orders_in_window", limiter,
                        l -> gauge(() -> l.ordersInWindow(profile, clock.instant())))
                .description("new ACME orders inside the current rate-limit window").tag("profile", profile)
                .register(registry);
    }

    private static double gauge(java.util.function.LongSupplier value) {
        try {
            return value.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Bean
    public AttemptStepper attemptStepper(CaProfiles profiles, CaAccounts accounts, KeyVault vault, VersionStore versions,
                                         IssuanceProperties properties, Clock clock, OrderRateLimiter limiter,
                                         RenewalInfoProperties renewalInfo, IssuanceAttemptRepository attempts,
                                         MongoTemplate mongo, CaaCheck caaCheck, CaCircuitBreaker caCircuit) {
        return new AttemptStepper(profiles, accounts, vault, versions, BackoffPolicy.of(properties.backoff()),
                AttemptStepper.Timing.of(properties), clock, limiter, RenewalInfoCheck.of(renewalInfo))
                .withOrderIntents(new StoredOrderIntents(attempts, mongo))
                .withCaaCheck(caaCheck)
                .withCircuitBreaker(caCircuit);
    }

    @Bean
    public CaCircuitBreaker caCircuitBreaker(CaCircuitBreakerProperties properties,
                                             io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry registry,
                                             Clock clock) {
        return properties.enabled() ? new CaCircuitBreaker(registry, properties, clock) : CaCircuitBreaker.NONE;
    }

    /** How long the attempt poller may skip its look while no attempt is due (attempts saved here end it). */
    @Bean
    public PollGate attemptPollGate(@org.springframework.beans.factory.annotation.Value(
            "${certflow.issuance.max-quiet:1s}") java.time.Duration maxQuiet) {
        return new PollGate(maxQuiet);
    }

    @Bean
    public AttemptSaves attemptSaves(PollGate attemptPollGate) {
        return new AttemptSaves(attemptPollGate);
    }

    @Bean
    public AttemptPoller attemptPoller(MongoTemplate mongo, IssuanceAttemptRepository attempts, AttemptStepper stepper,
                                       Clock clock, IssuanceProperties properties, PollGate attemptPollGate,
                                       @org.springframework.beans.factory.annotation.Value(
                                               "${certflow.issuance.step-concurrency:8}") int stepConcurrency) {
        return new AttemptPoller(mongo, attempts, stepper, clock, properties.claimLease(), properties.batchSize(),
                stepConcurrency, attemptPollGate);
    }

    @Bean
    public Revocations revocations(CertificateVersionRepository versions, IssuanceAttemptRepository attempts,
                                   CaProfiles profiles, CaAccounts accounts, Clock clock) {
        return new Revocations(versions, attempts, profiles, accounts, clock);
    }

    @Bean
    public AttemptStarter attemptStarter(IdempotentApply apply, IssuanceAttemptRepository attempts,
                                         PendingRevocations pendingRevocations, Clock clock) {
        return new AttemptStarter(apply, attempts, pendingRevocations, clock);
    }

    @Bean
    public FirstIssuanceRetries firstIssuanceRetries(MongoTemplate mongo, ManagedCertificateRepository records,
                                                     AttemptStarter starter, IssuanceProperties properties, Clock clock) {
        return new FirstIssuanceRetries(mongo, records, starter, properties.firstIssuanceRetry(), clock,
                properties.batchSize());
    }

    @Bean
    public PendingRevocations pendingRevocations(MongoTemplate mongo, CertificateVersionRepository versions,
                                                 Revocations revocations, IssuanceProperties properties, Clock clock) {
        return new PendingRevocations(mongo, versions, revocations, BackoffPolicy.of(properties.backoff()), clock,
                properties.claimLease(), properties.batchSize());
    }

    @Bean
    public RenewalWindowRefresher renewalWindowRefresher(MongoTemplate mongo, CertificateVersionRepository versions,
                                                         IssuanceAttemptRepository attempts, CaProfiles profiles,
                                                         CaAccounts accounts, RenewalInfoProperties renewalInfo,
                                                         Clock clock) {
        return new RenewalWindowRefresher(mongo, versions, attempts, profiles, accounts, RenewalInfoCheck.of(renewalInfo),
                clock, renewalInfo.claimLease(), renewalInfo.batchSize());
    }
}
