package io.certflow.verification.dns.provider.route53;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Route 53 settings: defaults, refusals that say what is wrong without echoing a secret, and a safe toString. */
class Route53SettingsTest {

    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String TOKEN = "FwoGZXIvYXdzEXAMPLEsessionTOKEN";

    @Test
    void defaultsToTheGlobalEndpointSignedForUsEast1() {
        Route53Settings settings = Route53Settings.of(KEY_ID, SECRET, " ");

        assertThat(settings.endpoint()).isEqualTo(URI.create("https://route53.amazonaws.com"));
        assertThat(settings.region()).isEqualTo("us-east-1");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.sessionToken()).as("blank is none").isNull();
    }

    @Test
    void toStringNamesTheKeyIdButNeverTheSecretOrToken() {
        Route53Settings settings = Route53Settings.of(KEY_ID, SECRET, TOKEN);

        assertThat(settings.toString()).contains(KEY_ID).contains("with session token")
                .doesNotContain(SECRET).doesNotContain(TOKEN);
    }

    @Test
    void refusesWhatCannotWorkWithoutEchoingTheSecret() {
        assertThatThrownBy(() -> Route53Settings.of(" ", SECRET, null)).hasMessageContaining("access key id is missing");
        assertThatThrownBy(() -> Route53Settings.of(SECRET, KEY_ID, null)).as("key id and secret swapped")
                .hasMessageContaining("was it swapped with the secret?").hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> Route53Settings.of(KEY_ID, null, null))
                .hasMessageContaining("secret access key of " + KEY_ID + " is missing");
        assertThatThrownBy(() -> Route53Settings.of(KEY_ID, "wJalrXUtnFEMI/K7MDENG\nbPxRfiCYEXAMPLEKEY", null))
                .hasMessageContaining("copy it again as one line").hasMessageNotContaining("bPxRfiCYEXAMPLEKEY");
        assertThatThrownBy(() -> Route53Settings.of(KEY_ID, SECRET, "Fwo GZXIvYXdz"))
                .hasMessageContaining("session token").hasMessageNotContaining("GZXIvYXdz");
        assertThatThrownBy(() -> new Route53Settings(URI.create("https://route53.amazonaws.com/2013-04-01"), KEY_ID,
                SECRET, null, null, null)).hasMessageContaining("http(s) URL of a host only");
        assertThatThrownBy(() -> new Route53Settings(URI.create("ftp://route53.amazonaws.com"), KEY_ID, SECRET, null,
                null, null)).hasMessageContaining("http(s) URL of a host only");
        assertThatThrownBy(() -> new Route53Settings(null, KEY_ID, SECRET, null, "US East", null))
                .hasMessageContaining("'US East' is not an AWS region name");
        assertThatThrownBy(() -> new Route53Settings(null, KEY_ID, SECRET, null, null, Duration.ZERO))
                .hasMessageContaining("timeout must be positive");
    }
}
