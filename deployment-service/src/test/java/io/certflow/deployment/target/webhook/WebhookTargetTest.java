package io.certflow.deployment.target.webhook;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook adapter's signature scheme, settings and credential checks, without a receiver. */
class WebhookTargetTest {

    private static final String SECRET = "whsec-test-0123456789";

    private final WebhookTarget target = new WebhookTarget(new ServedCertificateReader(Duration.ofSeconds(1)),
            WebhookTarget.httpClient(Duration.ofSeconds(1)),
            new WebhookTarget.Settings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50), List.of()),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void signsTimestampDotBodyWithHmacSha256AsDocumented() {
        // printf '%s' '1700000000.{"serialNumber":"1a"}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789'
        assertThat(WebhookSignature.sign(SECRET, 1_700_000_000L,
                "{\"serialNumber\":\"1a\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=d2d5e89a1dea72b45434c15a010d3d64dc28d2d21c7b3024f58acf7aa520a470");
    }

    @Test
    void takesHttpsAndLoopbackHttpWithTheKeyAndPlainHttpWithoutIt() {
        target.validate(Map.of("url", "https://deploy.example.com/certflow"));
        target.validate(Map.of("url", "http://127.0.0.1:8080/hook"));
        target.validate(Map.of("url", "http://[::1]:8080/hook"));
        target.validate(Map.of("url", "http://localhost/hook"));
        target.validate(Map.of("url", "http://deploy.example.com/certflow", "includePrivateKey", "false"));

        assertThatThrownBy(() -> target.validate(Map.of("url", "http://deploy.example.com/certflow")))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "'url' must be https when 'includePrivateKey' is true: the private key never crosses a network "
                                + "in clear (http is accepted for a loopback host only)"));
        assertThatThrownBy(() -> target.validate(Map.of("url", "http://127.0.0.1.example.com/hook")))
                .isInstanceOf(InvalidTargetConfigException.class);
    }

    @Test
    void namesEveryBadSettingAtOnce() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("url", "https://user:pass@deploy.example.com/hook#x");
        config.put("includePrivateKey", "yes");
        config.put("tlsAddress", "deploy.example.com");
        config.put("secret", "do-not-put-it-here");

        assertThatThrownBy(() -> target.validate(config))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "unknown setting 'secret' (known: includePrivateKey, serverName, tlsAddress, url)",
                        "'includePrivateKey' must be true or false",
                        "'url' must not hold a user name or password (settings are shown back; the credential's "
                                + "secret signs the request)",
                        "'url' must not have a #fragment",
                        "'tlsAddress' must be host:port, e.g. 127.0.0.1:443",
                        "'serverName' is required (the host name clients ask the receiver's server for)"));
        assertThatThrownBy(() -> target.validate(Map.of("url", "ftp://deploy.example.com/")))
                .hasMessageContaining("'url' must be an http or https URL");
        assertThatThrownBy(() -> target.validate(Map.of()))
                .hasMessageContaining("'url' is required");
    }

    @Test
    void aHostOutsideTheAllowedOnesIsRefused() {
        WebhookTarget limited = new WebhookTarget(new ServedCertificateReader(Duration.ofSeconds(1)),
                WebhookTarget.httpClient(Duration.ofSeconds(1)), new WebhookTarget.Settings(Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMillis(50), List.of("deploy.example.com")), Clock.systemUTC());

        limited.validate(Map.of("url", "https://DEPLOY.example.com/hook"));
        assertThatThrownBy(() -> limited.validate(Map.of("url", "https://169.254.169.254/latest")))
                .hasMessageContaining("'url' must point at one of the allowed hosts [deploy.example.com]");
    }

    @Test
    void needsACredentialWithALongEnoughSecretAndNeverNamesItsValue() {
        assertThat(target.needsCredential()).isTrue();
        target.validateCredential(new TargetAccess("c1", Map.of(), Map.of("secret", SECRET)));

        assertThatThrownBy(() -> target.validateCredential(new TargetAccess("c1", Map.of("url", "https://x.example"),
                Map.of("secret", "short-secret", "token", SECRET))))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "the secret 'secret' must be at least 16 characters (a random value of 32 or more is best)",
                            "unknown secret 'token' (known: secret)",
                            "unknown setting 'url' (a webhook credential has a secret only)");
                    assertThat(e.getMessage()).doesNotContain("short-secret").doesNotContain(SECRET);
                });
        assertThatThrownBy(() -> target.validateCredential(null))
                .hasMessageContaining("needs a credential with the secret 'secret'");
    }

    @Test
    void withoutATlsAddressNothingCanBeReadBack() {
        ReadBack readBack = target.readBack(new TargetResource("r1", "hook", "webhook",
                Map.of("url", "https://deploy.example.com/hook"), List.of(),
                new TargetAccess("c1", Map.of(), Map.of("secret", SECRET))));

        assertThat(readBack.known()).isFalse();
        assertThat(readBack.failureReason()).contains("only its receiver's answer tells what it serves");
    }
}
