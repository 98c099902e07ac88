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
    RFC2136("RFC 2136 with TSIG (BIND, Knot, PowerDNS…)", List.of(
            ProviderField.setting("server", "Primary server, host[:port], e.g. ns1.example.com:53"),
            ProviderField.setting("keyName", "TSIG key name, e.g. certflow."),
            ProviderField.optionalSetting("algorithm", "TSIG algorithm (hmac-sha256 by default; hmac-sha1/384/512)"),
            ProviderField.secret("tsigSecret", "TSIG secret (base64)"))),
    /** Amazon Route 53. */
    ROUTE53("Amazon Route 53", List.of(
            ProviderField.setting("accessKeyId", "Access key ID"),
            ProviderField.optionalSetting("region", "Signing region (us-east-1 by default)"),
            ProviderField.optionalSetting("endpoint", "API endpoint (tests only)"),
            ProviderField.secret("secretAccessKey", "Secret access key"),
            ProviderField.optionalSecret("sessionToken", "Session token (temporary credentials only)"))),
    /** Alibaba Cloud DNS (Alidns). */
    ALIBABA_CLOUD_DNS("Alibaba Cloud DNS", List.of(
            ProviderField.setting("accessKeyId", "AccessKey ID (of a RAM user)"),
            ProviderField.optionalSetting("endpoint", "API endpoint (tests only)"),
            ProviderField.secret("accessKeySecret", "AccessKey secret"))),
    /** Cloudflare DNS, with an API token. */
    CLOUDFLARE("Cloudflare", List.of(
            ProviderField.optionalSetting("endpoint", "API endpoint (tests only)"),
            ProviderField.secret("apiToken", "API token (Zone.DNS edit)")));

    private final String displayName;
    private final List<ProviderField> fields;

    ProviderKind(String displayName, List<ProviderField> fields) {
        this.displayName = displayName;
        this.fields = List.copyOf(fields);
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

    /** The provider as people name it. */
    public String displayName() {
        return displayName;
    }

    /** What a credential of this kind holds, as a form asks for it: the declaration {@link #requiredSettings()} etc. read. */
    public List<ProviderField> fields() {
        return fields;
    }

    public List<String> requiredSettings() {
        return names(false, true);
    }

    public List<String> requiredSecrets() {
        return names(true, true);
    }

    /** Every setting name this kind accepts. */
    public Set<String> settingNames() {
        return new java.util.LinkedHashSet<>(names(false, false));
    }

    /** Every secret name this kind accepts. */
    public Set<String> secretNames() {
        return new java.util.LinkedHashSet<>(names(true, false));
    }

    private List<String> names(boolean secret, boolean requiredOnly) {
        return fields.stream().filter(f -> f.secret() == secret && (!requiredOnly || f.required()))
                .map(ProviderField::name).toList();
    }
}
