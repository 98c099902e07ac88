package io.certflow.verification.dns.provider.cloudflare;

import io.certflow.verification.dns.provider.DnsProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Automatic DNS through Cloudflare, against {@link FakeCloudflare}, which checks the bearer token, paths, query
 * parameters, content type and body fields as Cloudflare documents them: values are added beside others and
 * removed alone, the zone is the closest one the token sees, and each refusal says whether trying again can help
 * and never shows the token.
 */
class CloudflareProviderTest {

    private FakeCloudflare cloudflare;

    @BeforeEach
    void start() throws Exception {
        cloudflare = new FakeCloudflare();
        cloudflare.addZone("example.com");
    }

    @AfterEach
    void stop() {
        cloudflare.close();
    }

    @Test
    void addsValuesBesideOnesAlreadyThereAndRemovesOnlyItsOwn() throws Exception {
        // unquoted, as records written before Cloudflare asked for quotes are
        cloudflare.addTxt("example.com", "_acme-challenge.www.example.com", "another-clients-digest");
        CloudflareProvider provider = provider(cloudflare.token());

        String zone = provider.addTxt("_acme-challenge.www.example.com.", List.of("apex-digest", "wildcard-digest"));

        assertThat(zone).isEqualTo("example.com.");
        assertThat(cloudflare.txt("example.com", "_acme-challenge.www.example.com"))
                .containsExactlyInAnyOrder("another-clients-digest", "\"apex-digest\"", "\"wildcard-digest\"");
        assertThat(cloudflare.ttls()).as("TTLs: the other client's automatic one, then ours")
                .containsExactly(1, 60, 60);

        provider.removeTxt("_acme-challenge.www.example.com.", List.of("apex-digest", "wildcard-digest"));
        assertThat(cloudflare.txt("example.com", "_acme-challenge.www.example.com"))
                .containsExactly("another-clients-digest");
        provider.removeTxt("_acme-challenge.www.example.com.", List.of("apex-digest")); // gone already: no error
        assertThat(cloudflare.recordCount()).isEqualTo(1);
    }

    @Test
    void addingAValuePresentAlreadyWritesNoSecondRecordWhetherItWasQuotedOrNot() throws Exception {
        cloudflare.addTxt("example.com", "_acme-challenge.example.com", "bare-digest");
        CloudflareProvider provider = provider(cloudflare.token());

        provider.addTxt("_acme-challenge.example.com", List.of("digest"));
        provider.addTxt("_acme-challenge.example.com", List.of("digest", "digest", "bare-digest"));

        assertThat(cloudflare.txt("example.com", "_acme-challenge.example.com"))
                .containsExactlyInAnyOrder("bare-digest", "\"digest\"");
        provider.removeTxt("_acme-challenge.example.com", List.of("bare-digest"));
        assertThat(cloudflare.txt("example.com", "_acme-challenge.example.com")).containsExactly("\"digest\"");
    }

    @Test
    void aSubZoneHeldSeparatelyIsTheZoneOfNamesBelowIt() throws Exception {
        cloudflare.addZone("sub.example.com");
        CloudflareProvider provider = provider(cloudflare.token());

        assertThat(provider.zoneOf("_acme-challenge.www.sub.example.com.")).contains("sub.example.com.");
        assertThat(provider.zoneOf("_acme-challenge.other.example.com.")).contains("example.com.");

        assertThat(provider.addTxt("_acme-challenge.www.sub.example.com.", List.of("nested")))
                .isEqualTo("sub.example.com.");
        assertThat(cloudflare.txt("sub.example.com", "_acme-challenge.www.sub.example.com"))
                .containsExactly("\"nested\"");
        assertThat(cloudflare.txt("example.com", "_acme-challenge.www.sub.example.com")).isEmpty();

        provider.removeTxt("_acme-challenge.www.sub.example.com.", List.of("nested"));
        assertThat(cloudflare.recordCount()).isZero();
    }

    @Test
    void aNameInNoZoneOfTheTokenHasNoZoneAndCannotBeWritten() throws Exception {
        CloudflareProvider provider = provider(cloudflare.token());

        assertThat(provider.zoneOf("_acme-challenge.www.example.org.")).isEmpty();
        assertThat(provider.zoneOf("_acme-challenge.notexample.com.")).isEmpty();
        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.www.example.org.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("no Cloudflare zone the API token can see holds");
                });
    }

    @Test
    void aWrongTokenIsAFinalRefusalThatNeverShowsATokenAndChangesNothing() {
        String wrong = "0123456789abcdef0123456789abcdef01234567";
        CloudflareProvider provider = provider(wrong);

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("9109").contains("Zone:Read and DNS:Edit")
                            .doesNotContain(wrong).doesNotContain(cloudflare.token());
                });
        assertThat(cloudflare.recordCount()).isZero();
    }

    @Test
    void aTokenWithoutDnsEditIsAFinalRefusal() {
        CloudflareProvider provider = provider(cloudflare.readOnlyToken());

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("10000").contains("DNS:Edit")
                            .doesNotContain(cloudflare.readOnlyToken());
                });
        assertThat(cloudflare.recordCount()).isZero();
    }

    @Test
    void rateLimitingIsTransientAndSaysWhenToTryAgain() {
        CloudflareProvider provider = provider(cloudflare.token());
        cloudflare.throttleNext(1);

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("429").contains("retry after 30 s");
                });
    }

    @Test
    void aServerThatDoesNotAnswerIsATransientTimeout() {
        CloudflareProvider provider = new CloudflareProvider(new CloudflareSettings(cloudflare.endpoint(),
                cloudflare.token(), Duration.ofMillis(500)));
        cloudflare.hang();

        long start = System.nanoTime();
        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("no answer within 500 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatCannotBeReachedIsATransientFailure() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CloudflareProvider provider = new CloudflareProvider(new CloudflareSettings(
                URI.create("http://127.0.0.1:" + closed + "/client/v4"), cloudflare.token(), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("cannot reach").doesNotContain(cloudflare.token());
                });
    }

    @Test
    void answersOutsideTheEnvelopeAreClearErrorsTransientOnlyWhenTheServerFailed() {
        CloudflareProvider provider = provider(cloudflare.token());

        cloudflare.answerNextWith(502, "text/html", "<html>Bad gateway</html>");
        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("HTTP 502 without its JSON envelope");
                });
        cloudflare.answerNextWith(200, "application/json", "[1, 2");
        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> assertThat(e.transientFailure()).isFalse());
        cloudflare.answerNextWith(200, "application/json",
                "{\"success\":true,\"errors\":[],"
                        + "\"result\":[{\"name\":\"_acme-challenge.example.com\",\"id\":\"../../x\"}]}");
        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e ->
                        assertThat(e.getMessage()).contains("without a usable id"));
    }

    @Test
    void settingsRefuseWhatCannotWorkAndNeverShowTheToken() {
        String token = cloudflare.token();
        CloudflareSettings ok = new CloudflareSettings(null, token + "\n", null);

        assertThat(ok.endpoint()).isEqualTo(URI.create("https://api.cloudflare.com/client/v4"));
        assertThat(ok.apiToken()).isEqualTo(token);
        assertThat(ok.toString()).doesNotContain(token);
        assertThatThrownBy(() -> new CloudflareSettings(null, " ", null)).hasMessageContaining("token is missing");
        assertThatThrownBy(() -> new CloudflareSettings(null, "Bearer " + token, null))
                .hasMessageContaining("contains spaces").hasMessageNotContaining(token);
        assertThatThrownBy(() -> new CloudflareSettings(URI.create("ftp://api.cloudflare.com"), token, null))
                .hasMessageContaining("must be a URL");
    }

    @Test
    void txtContentIsReadQuotedOrBareAndWrittenQuoted() {
        assertThat(TxtContent.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(TxtContent.unquote(TxtContent.quote("a\"b\\c"))).isEqualTo("a\"b\\c");
        assertThat(TxtContent.unquote("\"ab\" \"cd\"")).isEqualTo("abcd");
        assertThat(TxtContent.unquote("bare")).isEqualTo("bare");
        assertThat(TxtContent.unquote("\"unterminated")).isEqualTo("\"unterminated");
    }

    private CloudflareProvider provider(String token) {
        return new CloudflareProvider(new CloudflareSettings(cloudflare.endpoint(), token, Duration.ofSeconds(5)));
    }
}
