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
}
