package io.certflow.verification.config;

import io.certflow.verification.VerificationProperties;
import io.certflow.verification.challenge.ServedRecords;
import io.certflow.verification.delegation.DelegationLabels;
import io.certflow.verification.dns.lookup.AuthoritativeServers;
import io.certflow.verification.dns.lookup.DelegationChecker;
import io.certflow.verification.dns.lookup.DnsDelegationChecker;
import io.certflow.verification.dns.lookup.DnsServedRecords;
import io.certflow.verification.dns.lookup.ResolverSettings;
import io.certflow.verification.dns.server.DelegationZoneLifecycle;
import io.certflow.verification.dns.server.DnsServerSettings;
import io.certflow.verification.persistence.MongoChallengeRecordStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;

import java.time.Clock;

/**
 * Wires the DNS adapters from {@link VerificationProperties}: the lookups on the authoritative
 * servers of customer zones (found through the configured resolver), the delegation zone's server
 * backed by the Mongo documents, and the probe that asks that server what it serves.
 */
@Configuration(proxyBeanMethods = false)
public class VerificationConfiguration {

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
