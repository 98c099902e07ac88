package io.certflow.verification.config;

import io.certflow.platform.polling.PollGate;
import io.certflow.verification.challenge.ChallengePropagationChecker;
import io.certflow.verification.challenge.ChallengeSaves;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.verification.VerificationProperties;
import io.certflow.verification.challenge.ServedRecords;
import io.certflow.verification.delegation.DelegationLabels;
import io.certflow.verification.challenge.AuthoritativeRecords;
import io.certflow.verification.dns.lookup.AuthoritativeServers;
import io.certflow.verification.dns.lookup.TxtAnswers;
import io.certflow.verification.dns.lookup.DelegationChecker;
import io.certflow.verification.dns.lookup.DnsDelegationChecker;
import io.certflow.verification.dns.lookup.DnsServedRecords;
import io.certflow.verification.dns.lookup.ResolverSettings;
import io.certflow.verification.dns.provider.DnsProviderFactory;
import io.certflow.verification.dns.server.DelegationZoneLifecycle;
import io.certflow.verification.dns.server.DnsServerSettings;
import io.certflow.verification.persistence.MongoChallengeRecordStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Clock;
import java.util.Optional;

/**
 * Wires the DNS adapters from {@link VerificationProperties}: the lookups on the authoritative
 * servers of customer zones (found through the configured resolver), the delegation zone's server
 * backed by the Mongo documents, and the probe that asks that server what it serves.
 */
@Configuration(proxyBeanMethods = false)
public class VerificationConfiguration {

    /** Lets the challenge checker rest while nothing is published; records saved here wake it. */
    @Bean
    public PollGate challengePollGate() {
        return new PollGate(ChallengePropagationChecker.MAX_QUIET);
    }

    @Bean
    public ChallengeSaves challengeSaves(PollGate challengePollGate) {
        return new ChallengeSaves(challengePollGate);
    }

    /** Seals DNS provider credentials; the service does not start without its key-encryption key. */
    @Bean
    public EnvelopeEncryption envelopeEncryption(VerificationProperties properties) {
        if (properties.keyEncryptionKey() == null || properties.keyEncryptionKey().isBlank()) {
            throw new IllegalStateException("certflow.verification.key-encryption-key is not set: verification-service"
                    + " seals DNS provider credentials with it (base64 of 32 random bytes, e.g. from CERTFLOW_VERIFICATION_KEY_ENCRYPTION_KEY)");
        }
        return new EnvelopeEncryption(KeyEncryptionKey.fromBase64(properties.keyEncryptionKey()),
                properties.previousKeyEncryptionKeys().stream().map(KeyEncryptionKey::fromBase64).toList());
    }

    @Bean
    public DnsProviderFactory dnsProviderFactory(VerificationProperties properties) {
        return new DnsProviderFactory(properties.providers().timeout(), properties.providers().customEndpoints());
    }

    /** Challenges written through a DNS provider are ready once every authoritative server of their zone has them. */
    @Bean
    public AuthoritativeRecords authoritativeRecords(AuthoritativeServers servers) {
        return (name, values) -> {
            TxtAnswers answers = servers.txtOnEveryAuthoritativeServer(name);
            return answers.allServe(values) ? Optional.empty() : Optional.of(answers.describe());
        };
    }

    @Bean
    public DelegationLabels delegationLabels() {
        return new DelegationLabels();
    }

    @Bean
    public AuthoritativeServers authoritativeServers(VerificationProperties properties, Clock clock) {
        VerificationProperties.Lookup lookup = properties.lookup();
        ResolverSettings parsed = ResolverSettings.parse(properties.resolver());
        return new AuthoritativeServers(new ResolverSettings(parsed.host(), parsed.port(), lookup.timeout(),
                lookup.attempts(), lookup.authoritativePort()), clock);
    }

    @Bean
    public DelegationChecker delegationChecker(AuthoritativeServers servers, VerificationProperties properties) {
        return new DnsDelegationChecker(servers, properties.delegationZone(), properties.lookup().maxCnameChain());
    }

    @Bean
    @ConditionalOnProperty(name = "certflow.verification.dns.enabled", matchIfMissing = true)
    public DelegationZoneLifecycle delegationZoneServer(VerificationProperties properties, MongoTemplate mongo,
                                                        Clock clock) {
        VerificationProperties.Dns dns = properties.dns();
        String published = dns.nameserverAddress() != null ? dns.nameserverAddress() : dns.address();
        DnsServerSettings settings = new DnsServerSettings(properties.delegationZone(), dns.address(), dns.port(),
                dns.nameserver(), published, dns.txtTtl(), null, dns.negativeTtl(), dns.workerThreads(), 0, null,
                dns.responsesPerSecond(), dns.slip());
        return new DelegationZoneLifecycle(settings, new MongoChallengeRecordStore(mongo),
                clock.instant().getEpochSecond());
    }

    @Bean
    public ServedRecords servedRecords(VerificationProperties properties,
                                       ObjectProvider<DelegationZoneLifecycle> server) {
        VerificationProperties.Dns dns = properties.dns();
        String host = dns.address().equals("0.0.0.0") ? "127.0.0.1" : dns.address().equals("::") ? "::1" : dns.address();
        return new DnsServedRecords(host, () -> {
            DelegationZoneLifecycle running = server.getIfAvailable();
            return running != null ? running.port() : dns.port();
        }, properties.challenge().queryTimeout());
    }
}
