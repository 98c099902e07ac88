package io.certflow.issuance.profiles;

import io.certflow.issuance.ca.acme.AcmeCertificateAuthority;
import io.certflow.issuance.caa.CaaIdentities;
import io.certflow.issuance.ca.acme.AcmeOptions;
import io.certflow.issuance.issuing.AccountKeyRollover;
import io.certflow.issuance.issuing.CaProfile;
import io.certflow.issuance.issuing.CaProfiles;
import io.certflow.issuance.issuing.ConfiguredCaProfiles;
import io.certflow.issuance.issuing.IssuanceProperties;
import io.certflow.issuance.issuing.NewOrderLimit;
import io.certflow.issuance.issuing.StoredCaAccounts;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.AcmeAccountRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link CaProfiles} bean from {@link CaProfileDefinitions}: one acme4j adapter per profile with
 * its trust, external account binding, preferred chain and ACME profile. A configuration that is not
 * usable stops the service at startup with every problem listed. Also wires the account key rollover.
 */
@Configuration(proxyBeanMethods = false)
public class CaProfilesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CaProfilesConfiguration.class);

    @Bean
    public CaProfiles caProfiles(IssuanceProperties properties, CaProfilesProperties profileProperties) {
        IssuanceProperties.RateLimit rateLimit = properties.rateLimit();
        CaProfileDefinitions.Resolved resolved = CaProfileDefinitions.resolve(properties.ca(), profileProperties,
                new NewOrderLimit(rateLimit.newOrders(), rateLimit.window(), properties.orderPollDelay()));
        List<CaProfile> profiles = new ArrayList<>();
        for (CaProfileDefinition d : resolved.profiles()) {
            AcmeCertificateAuthority authority = new AcmeCertificateAuthority(d.directoryUrl(),
                    d.trustedCertificate().orElse(null), d.requestTimeout(),
                    new AcmeOptions(d.eab().orElse(null), d.settings().preferredChain().orElse(null),
                            d.settings().acmeProfile().orElse(null)));
            log.info("CA profile '{}'{}: {}{}{}", d.name(), d.name().equals(resolved.defaultProfile()) ? " (default)" : "",
                    authority, d.trustedCertificate().map(p -> " trusting " + p).orElse(""),
                    ", key type " + d.settings().keyType() + ", CAA identities " + caa(d.settings().caaIdentities()));
            profiles.add(new CaProfile(d.name(), d.directoryUrl().toString(), authority, d.contactEmail(), d.settings()));
        }
        return new ConfiguredCaProfiles(profiles, resolved.defaultProfile());
    }

    private static String caa(CaaIdentities identities) {
        return identities.source() == CaaIdentities.Source.DIRECTORY
                ? "from the directory (meta.caaIdentities; no CAA pre-check if it lists none)"
                : String.join(", ", identities.names()) + " (" + identities.source().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Bean
    public AccountKeyRollover accountKeyRollover(AcmeAccountRepository repository, StoredCaAccounts accounts,
                                                 KeyVault vault, Clock clock) {
        return new AccountKeyRollover(repository, accounts, vault, clock);
    }
}
