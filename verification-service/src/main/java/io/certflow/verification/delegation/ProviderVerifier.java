package io.certflow.verification.delegation;

import io.certflow.verification.credentials.CredentialUnavailableException;
import io.certflow.verification.credentials.DnsCredentials;
import io.certflow.verification.dns.lookup.DelegationDiagnosis;
import io.certflow.verification.dns.lookup.DelegationResult;
import io.certflow.verification.dns.provider.DnsProvider;
import io.certflow.verification.dns.provider.DnsProviderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * "Verify" for a domain under a DNS provider: finds the provider's zone that holds the domain's
 * {@code _acme-challenge} name, then writes a test TXT value there and removes it again. Proves what
 * the challenges will need (the credential works and may write in that zone) at the moment the owner
 * asks, instead of at the first certificate.
 */
@Component
public class ProviderVerifier {

    private static final Logger log = LoggerFactory.getLogger(ProviderVerifier.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DnsCredentials credentials;

    public ProviderVerifier(DnsCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * @param domain       the (base) domain, without trailing dot
     * @param credentialId the account's credential chosen for it
     */
    public DelegationDiagnosis check(String accountId, String domain, String credentialId) {
        String name = "_acme-challenge." + domain + ".";
        String credential = "DNS credential " + credentialId;
        DnsProvider provider;
        try {
            provider = credentials.provider(accountId, credentialId);
        } catch (CredentialUnavailableException e) {
            return new DelegationDiagnosis(domain, DelegationResult.PROVIDER_REFUSED, e.getMessage(), credential, List.of());
        }
        String probe = "certflow-verify-" + HexFormat.of().formatHex(randomBytes());
        boolean added = false;
        try {
            Optional<String> zone = provider.zoneOf(name);
            if (zone.isEmpty()) {
                return new DelegationDiagnosis(domain, DelegationResult.NO_PROVIDER_ZONE, "The " + credential
                        + " holds no zone containing " + name + ". Choose a credential for the zone of " + domain
                        + ", or delegate the domain by CNAME.", credential, List.of());
            }
            provider.addTxt(name, List.of(probe));
            added = true;
            provider.removeTxt(name, List.of(probe));
            added = false;
            return new DelegationDiagnosis(domain, DelegationResult.VERIFIED, "certflow wrote and removed a test TXT"
                    + " record at " + name + " in zone " + zone.get() + " through the " + credential + ": it will"
                    + " publish the DNS-01 challenges of " + domain + " there.", credential, List.of("zone " + zone.get()));
        } catch (DnsProviderException e) {
            String left = added ? removeProbe(provider, name, probe) : "";
            if (e.transientFailure()) {
                return new DelegationDiagnosis(domain, DelegationResult.PROVIDER_UNAVAILABLE, "The DNS provider did"
                        + " not complete the test: " + e.getMessage() + ". Try again in a few minutes." + left,
                        credential, List.of());
            }
            return new DelegationDiagnosis(domain, DelegationResult.PROVIDER_REFUSED, "The DNS provider refused: "
                    + e.getMessage() + ". Check the credential and its permission to change TXT records of " + name
                    + "." + left, credential, List.of());
        }
    }

    /** Tries once more to remove a test value whose removal failed; a sentence for the owner if it stays. */
    private static String removeProbe(DnsProvider provider, String name, String probe) {
        try {
            provider.removeTxt(name, List.of(probe));
            return "";
        } catch (DnsProviderException e) {
            log.warn("test TXT value at {} could not be removed: {}", name, e.getMessage());
            return " The test TXT value \"" + probe + "\" at " + name + " could not be removed: delete it yourself.";
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
