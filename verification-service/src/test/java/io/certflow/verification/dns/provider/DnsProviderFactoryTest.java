package io.certflow.verification.dns.provider;

import io.certflow.verification.dns.provider.alibaba.AlibabaDnsProvider;
import io.certflow.verification.dns.provider.cloudflare.CloudflareProvider;
import io.certflow.verification.dns.provider.route53.Route53Provider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsProviderFactoryTest {

    private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==";
    private final DnsProviderFactory production = new DnsProviderFactory(Duration.ofSeconds(5), false);
    private final DnsProviderFactory tests = new DnsProviderFactory(Duration.ofSeconds(5), true);

    @Test
    void eachKindBuildsItsAdapter() {
        assertThat(production.create(ProviderKind.RFC2136, Map.of("server", "127.0.0.1:5353", "keyName", "k."),
                Map.of("tsigSecret", SECRET))).isInstanceOf(Rfc2136Provider.class);
        assertThat(production.create(ProviderKind.ROUTE53, Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE"),
                Map.of("secretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))).isInstanceOf(Route53Provider.class);
        assertThat(production.create(ProviderKind.ALIBABA_CLOUD_DNS, Map.of("accessKeyId", "LTAIexample"),
                Map.of("accessKeySecret", SECRET))).isInstanceOf(AlibabaDnsProvider.class);
        assertThat(tests.create(ProviderKind.CLOUDFLARE, Map.of("endpoint", "http://127.0.0.1:9/client/v4"),
                Map.of("apiToken", SECRET))).isInstanceOf(CloudflareProvider.class);
        assertThat(ProviderKind.parse("alibaba-cloud-dns")).isEqualTo(ProviderKind.ALIBABA_CLOUD_DNS);
    }

    @Test
    void everyProblemIsListedAtOnceAndNoSecretIsRepeated() {
        assertThatThrownBy(() -> production.create(ProviderKind.RFC2136, Map.of("keyName", "k.", "colour", "blue"),
                Map.of("password", SECRET)))
                .hasMessageContaining("setting 'server' is missing")
                .hasMessageContaining("secret 'tsigSecret' is missing")
                .hasMessageContaining("unknown setting 'colour'")
                .hasMessageContaining("unknown secret 'password'")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> production.create(ProviderKind.RFC2136, Map.of("server", "ns1:port", "keyName", "k."),
                Map.of("tsigSecret", SECRET))).hasMessageContaining("setting 'server'");
        assertThatThrownBy(() -> production.create(ProviderKind.RFC2136, Map.of("server", "ns1", "keyName", "k."),
                Map.of("tsigSecret", "not base64!"))).hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> ProviderKind.parse("godaddy")).hasMessageContaining("RFC2136, ROUTE53");
    }

    @Test
    void aCredentialNamesItsOwnEndpointOnlyWhereThatIsAllowed() {
        Map<String, String> settings = Map.of("endpoint", "http://169.254.169.254/latest");
        assertThatThrownBy(() -> production.create(ProviderKind.CLOUDFLARE, settings, Map.of("apiToken", SECRET)))
                .hasMessageContaining("setting 'endpoint' is not allowed here");
        assertThatThrownBy(() -> tests.create(ProviderKind.CLOUDFLARE, Map.of("endpoint", "file:///etc/passwd"),
                Map.of("apiToken", SECRET))).hasMessageContaining("http(s) URL");
    }

    /** A valid (fake) value for every field any kind declares; a declared field without one fails the test. */
    private static final Map<String, String> VALID = Map.ofEntries(Map.entry("server", "127.0.0.1:5353"),
            Map.entry("keyName", "certflow-fake-key."), Map.entry("algorithm", "hmac-sha512"), Map.entry("tsigSecret", SECRET),
            Map.entry("accessKeyId", "AKIAFAKEFAKEFAKE0000"), Map.entry("region", "us-east-1"),
            Map.entry("endpoint", "http://127.0.0.1:9"), Map.entry("secretAccessKey", "fake-secret-access-key"),
            Map.entry("sessionToken", "fake-session-token"), Map.entry("accessKeySecret", "fake-access-key-secret"),
            Map.entry("apiToken", "fake-api-token"));

    @Test
    void theDeclaredFieldsAreWhatTheCheckAcceptsAndRequires() {
        for (ProviderKind kind : ProviderKind.values()) {
            for (DnsProviderFactory factory : java.util.List.of(production, tests)) {
                java.util.List<ProviderField> offered = factory.offeredFields(kind);
                java.util.List<ProviderField> required = offered.stream().filter(ProviderField::required).toList();
                assertThat(required).as(kind + " requires something").isNotEmpty();
                factory.create(kind, values(required, false), values(required, true));
                factory.create(kind, values(offered, false), values(offered, true));
                for (ProviderField missing : required) {
                    java.util.List<ProviderField> without = required.stream().filter(f -> f != missing).toList();
                    assertThatThrownBy(() -> factory.create(kind, values(without, false), values(without, true)))
                            .as(kind + " without " + missing.name()).hasMessageContaining("'" + missing.name() + "'")
                            .hasMessageNotContaining(SECRET);
                }
            }
            assertThat(production.offeredFields(kind)).extracting(ProviderField::name).doesNotContain("endpoint");
        }
        assertThat(tests.offeredFields(ProviderKind.CLOUDFLARE)).extracting(ProviderField::name).contains("endpoint");
    }

    private static Map<String, String> values(java.util.List<ProviderField> fields, boolean secrets) {
        Map<String, String> out = new java.util.HashMap<>();
        fields.stream().filter(f -> f.secret() == secrets).forEach(f -> {
            assertThat(VALID).as("a test value for " + f.name()).containsKey(f.name());
            out.put(f.name(), VALID.get(f.name()));
        });
        return out;
    }
}
