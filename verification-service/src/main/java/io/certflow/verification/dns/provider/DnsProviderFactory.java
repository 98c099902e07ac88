package io.certflow.verification.dns.provider;

import io.certflow.verification.dns.lookup.ResolverSettings;
import io.certflow.verification.dns.provider.alibaba.AlibabaDnsProvider;
import io.certflow.verification.dns.provider.alibaba.AlibabaDnsSettings;
import io.certflow.verification.dns.provider.cloudflare.CloudflareProvider;
import io.certflow.verification.dns.provider.cloudflare.CloudflareSettings;
import io.certflow.verification.dns.provider.route53.Route53Provider;
import io.certflow.verification.dns.provider.route53.Route53Settings;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link DnsProvider} of a credential from its kind, settings and secrets: the one place that knows every
 * adapter. Checks first that the settings are complete and known, so that a credential that cannot work is refused
 * when it is given, with every problem listed and no secret repeated.
 */
public final class DnsProviderFactory {

    private final Duration timeout;
    private final boolean customEndpoints;

    /**
     * @param timeout         per request to the provider
     * @param customEndpoints whether a credential may name its own API endpoint (tests and private clouds); off in
     *                        production, so that a credential cannot send certflow's requests anywhere
     */
    public DnsProviderFactory(Duration timeout, boolean customEndpoints) {
        this.timeout = timeout;
        this.customEndpoints = customEndpoints;
    }

    /**
     * The provider of a credential.
     *
     * @throws IllegalArgumentException with every problem of the settings, never containing a secret
     */
    public DnsProvider create(ProviderKind kind, Map<String, String> settings, Map<String, String> secrets) {
        check(kind, settings, secrets);
        return switch (kind) {
            case RFC2136 -> new Rfc2136Provider(new Rfc2136Settings(server(settings.get("server")),
                    settings.get("keyName"), settings.get("algorithm"), secrets.get("tsigSecret"), timeout));
            case ALIBABA_CLOUD_DNS -> new AlibabaDnsProvider(new AlibabaDnsSettings(endpoint(settings),
                    settings.get("accessKeyId"), secrets.get("accessKeySecret"), timeout));
            case CLOUDFLARE -> new CloudflareProvider(new CloudflareSettings(endpoint(settings),
                    secrets.get("apiToken"), timeout));
            case ROUTE53 -> new Route53Provider(new Route53Settings(endpoint(settings), settings.get("accessKeyId"),
                    secrets.get("secretAccessKey"), secrets.get("sessionToken"), settings.get("region"), timeout));
        };
    }

    /**
     * The fields a form for {@code kind} asks for here: its declaration, without {@code endpoint} where credentials
     * may not name their own endpoint (it would be refused).
     */
    public List<ProviderField> offeredFields(ProviderKind kind) {
        return customEndpoints ? kind.fields() : kind.fields().stream().filter(f -> !f.name().equals("endpoint")).toList();
    }

    private static URI endpoint(Map<String, String> settings) {
        String endpoint = settings.get("endpoint");
        return blank(endpoint) ? null : URI.create(endpoint.strip());
    }

    private void check(ProviderKind kind, Map<String, String> settings, Map<String, String> secrets) {
        List<String> problems = new ArrayList<>();
        for (String name : kind.requiredSettings()) {
            if (blank(settings.get(name))) {
                problems.add("setting '" + name + "' is missing");
            }
        }
        for (String name : kind.requiredSecrets()) {
            if (blank(secrets.get(name))) {
                problems.add("secret '" + name + "' is missing");
            }
        }
        settings.keySet().stream().filter(n -> !kind.settingNames().contains(n)).sorted()
                .forEach(n -> problems.add("unknown setting '" + n + "' (" + kind + " takes "
                        + String.join(", ", kind.settingNames()) + ")"));
        secrets.keySet().stream().filter(n -> !kind.secretNames().contains(n)).sorted()
                .forEach(n -> problems.add("unknown secret '" + n + "' (" + kind + " takes "
                        + String.join(", ", kind.secretNames()) + ")"));
        if (!blank(settings.get("endpoint"))) {
            if (!customEndpoints) {
                problems.add("setting 'endpoint' is not allowed here: certflow talks to the provider's public API");
            } else {
                try {
                    URI uri = URI.create(settings.get("endpoint").strip());
                    if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                        problems.add("setting 'endpoint' must be an http(s) URL");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("setting 'endpoint' is not a URL");
                }
            }
        }
        if (kind == ProviderKind.RFC2136 && !blank(settings.get("server"))) {
            try {
                server(settings.get("server"));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}; port 53 by default. */
    static InetSocketAddress server(String value) {
        try {
            ResolverSettings parsed = ResolverSettings.parse(value);
            return new InetSocketAddress(parsed.host(), parsed.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting 'server' must be host, host:port or [v6]:port, got '"
                    + value.strip() + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
