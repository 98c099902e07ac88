package io.certflow.verification.web;

import io.certflow.verification.persistence.DnsCredential;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A DNS provider credential as the API shows it: never its secrets, only which were given.
 *
 * @param id          {@code dnscred_…}
 * @param name        the owner's name for it
 * @param provider    {@code RFC2136}, {@code ROUTE53}, {@code ALIBABA_CLOUD_DNS} or {@code CLOUDFLARE}
 * @param settings    the non-secret settings
 * @param secretNames the secrets stored (sealed) for it
 * @param createdAt   when it was given
 */
public record DnsCredentialView(String id, String name, String provider, Map<String, String> settings,
                                List<String> secretNames, Instant createdAt) {

    static DnsCredentialView of(DnsCredential c) {
        return new DnsCredentialView(c.getId(), c.getName(), c.getKind(), c.getSettings(), c.getSecretNames(),
                c.getCreatedAt());
    }
}
