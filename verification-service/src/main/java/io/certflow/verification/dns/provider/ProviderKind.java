package io.certflow.verification.dns.provider;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of DNS service an account can give certflow a credential for, with the settings (shown back) and the
 * secrets (stored sealed, never shown) each needs.
 */
public enum ProviderKind {

    /** Any server accepting RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS…). */
    RFC2136(List.of("server", "keyName"), List.of("algorithm"), List.of("tsigSecret"), List.of()),
    /** Amazon Route 53. */
    ROUTE53(List.of("accessKeyId"), List.of("region", "endpoint"), List.of("secretAccessKey"), List.of("sessionToken")),
    /** Alibaba Cloud DNS (Alidns). */
    ALIBABA_CLOUD_DNS(List.of("accessKeyId"), List.of("endpoint"), List.of("accessKeySecret"), List.of()),
    /** Cloudflare DNS, with an API token. */
    CLOUDFLARE(List.of(), List.of("endpoint"), List.of("apiToken"), List.of());

    private final List<String> requiredSettings;
    private final List<String> optionalSettings;
    private final List<String> requiredSecrets;
    private final List<String> optionalSecrets;

    ProviderKind(List<String> requiredSettings, List<String> optionalSettings, List<String> requiredSecrets,
                 List<String> optionalSecrets) {
        this.requiredSettings = requiredSettings;
        this.optionalSettings = optionalSettings;
        this.requiredSecrets = requiredSecrets;
        this.optionalSecrets = optionalSecrets;
    }

    /** The kind named {@code name} (any case, {@code -} or {@code _}), or an IllegalArgumentException listing them. */
    public static ProviderKind parse(String name) {
        if (name != null) {
            String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (ProviderKind kind : values()) {
                if (kind.name().equals(n)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown DNS provider '" + name + "'; one of "
                + String.join(", ", java.util.Arrays.stream(values()).map(Enum::name).toList()));
    }

    public List<String> requiredSettings() {
        return requiredSettings;
    }

    public List<String> requiredSecrets() {
        return requiredSecrets;
    }

    /** Every setting name this kind accepts. */
    public Set<String> settingNames() {
        return union(requiredSettings, optionalSettings);
    }

    /** Every secret name this kind accepts. */
    public Set<String> secretNames() {
        return union(requiredSecrets, optionalSecrets);
    }

    private static Set<String> union(List<String> a, List<String> b) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return java.util.Collections.unmodifiableSet(all);
    }
}
