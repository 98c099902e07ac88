package io.certflow.verification.dns.provider.alibaba;

import io.certflow.verification.dns.provider.DnsProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Automatic DNS through Alibaba Cloud DNS, against {@link FakeAlidns}, which checks every request's signature,
 * nonce, timestamp, action and parameter names as Alibaba documents them: values are added beside others and
 * removed alone, the zone is the closest domain the account holds, and each refusal says whether trying again
 * can help and never shows the secret.
 */
class AlibabaDnsProviderTest {

    private FakeAlidns alidns;

    @BeforeEach
    void start() throws Exception {
        alidns = new FakeAlidns();
        alidns.holdDomain("example.com");
    }

    @AfterEach
    void stop() {
        alidns.close();
    }

    @Test
    void addsValuesBesideOnesAlreadyThereAndRemovesOnlyItsOwn() throws Exception {
        alidns.addTxt("example.com", "_acme-challenge.www", "another-clients-digest");
        AlibabaDnsProvider provider = provider(FakeAlidns.KEY_ID, alidns.secret());

        String zone = provider.addTxt("_acme-challenge.www.example.com.", List.of("apex-digest", "wildcard-digest"));

        assertThat(zone).isEqualTo("example.com.");
        assertThat(alidns.txt("example.com", "_acme-challenge.www"))
                .containsExactlyInAnyOrder("another-clients-digest", "apex-digest", "wildcard-digest");
        assertThat(alidns.ttls()).as("TTL of the added records").containsOnly(600);

        provider.removeTxt("_acme-challenge.www.example.com.", List.of("apex-digest", "wildcard-digest"));
        assertThat(alidns.txt("example.com", "_acme-challenge.www")).containsExactly("another-clients-digest");
        provider.removeTxt("_acme-challenge.www.example.com.", List.of("apex-digest")); // gone already: no error
        assertThat(alidns.txt("example.com", "_acme-challenge.www")).containsExactly("another-clients-digest");
    }

    @Test
    void addingAValuePresentAlreadyWritesNoSecondRecord() throws Exception {
        AlibabaDnsProvider provider = provider(FakeAlidns.KEY_ID, alidns.secret());

        provider.addTxt("_acme-challenge.example.com", List.of("digest"));
        provider.addTxt("_acme-challenge.example.com", List.of("digest", "digest"));

        assertThat(alidns.allTxt()).containsExactly("_acme-challenge.example.com=digest");
    }

    @Test
    void aSubDomainHeldAsItsOwnDomainIsTheZoneOfNamesBelowIt() throws Exception {
        alidns.holdDomain("sub.example.com");
        AlibabaDnsProvider provider = provider(FakeAlidns.KEY_ID, alidns.secret());

        assertThat(provider.zoneOf("_acme-challenge.www.sub.example.com.")).contains("sub.example.com.");
        assertThat(provider.zoneOf("_acme-challenge.other.example.com.")).contains("example.com.");
        assertThat(provider.zoneOf("sub.example.com.")).contains("sub.example.com.");

        assertThat(provider.addTxt("_acme-challenge.www.sub.example.com.", List.of("nested")))
                .isEqualTo("sub.example.com.");
        assertThat(provider.addTxt("_acme-challenge.sub.example.com.", List.of("apex"))).isEqualTo("sub.example.com.");
        assertThat(alidns.txt("sub.example.com", "_acme-challenge.www")).containsExactly("nested");
        assertThat(alidns.txt("sub.example.com", "_acme-challenge")).containsExactly("apex");
        assertThat(alidns.txt("example.com", "_acme-challenge.www.sub")).isEmpty();

        provider.removeTxt("_acme-challenge.www.sub.example.com.", List.of("nested"));
        assertThat(alidns.txt("sub.example.com", "_acme-challenge.www")).isEmpty();
    }

    @Test
    void aNameInNoDomainOfTheAccountHasNoZoneAndCannotBeWritten() throws Exception {
        AlibabaDnsProvider provider = provider(FakeAlidns.KEY_ID, alidns.secret());

        assertThat(provider.zoneOf("_acme-challenge.www.example.org.")).isEmpty();
        assertThat(provider.zoneOf("_acme-challenge.notexample.com.")).as("a suffix is no domain").isEmpty();
        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.www.example.org.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("no domain of this Alibaba Cloud account holds");
                });
    }

    @Test
    void aWrongSecretIsAFinalRefusalThatNeverShowsASecretAndChangesNothing() {
        String wrong = "Wr0ngSecretWr0ngSecretWr0ngSe";
        AlibabaDnsProvider provider = provider(FakeAlidns.KEY_ID, wrong);

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("SignatureDoesNotMatch").contains(FakeAlidns.KEY_ID)
                            .contains("enter the AccessKey pair again")
                            .doesNotContain(wrong).doesNotContain(alidns.secret());
                });
        assertThat(alidns.allTxt()).isEmpty();
    }

    @Test
    void anUnknownAccessKeyIsAFinalRefusal() {
        AlibabaDnsProvider provider = provider("LTAI5tNoSuchKey00001", alidns.secret());

        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("InvalidAccessKeyId.NotFound").doesNotContain(alidns.secret());
                });
    }

    @Test
    void aKeyWithoutWritePermissionIsAFinalRefusalNamingTheRamActionToGrant() {
        AlibabaDnsProvider provider = provider(FakeAlidns.READ_ONLY_KEY_ID, alidns.readOnlySecret());

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("Forbidden.RAM").contains("alidns:AddDomainRecord")
                            .doesNotContain(alidns.readOnlySecret());
                });
        assertThat(alidns.allTxt()).isEmpty();
    }

    @Test
    void throttlingIsTransient() {
        AlibabaDnsProvider provider = provider(FakeAlidns.KEY_ID, alidns.secret());
        alidns.throttleNext(1);

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("Throttling.User");
                });
    }

    @Test
    void aServerThatDoesNotAnswerIsATransientTimeout() {
        AlibabaDnsProvider provider = new AlibabaDnsProvider(new AlibabaDnsSettings(alidns.endpoint(),
                FakeAlidns.KEY_ID, alidns.secret(), Duration.ofMillis(500)));
        alidns.hang();

        long start = System.nanoTime();
        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("no answer").contains("500 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatCannotBeReachedIsATransientFailure() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        AlibabaDnsProvider provider = new AlibabaDnsProvider(new AlibabaDnsSettings(
                URI.create("http://127.0.0.1:" + closed), FakeAlidns.KEY_ID, alidns.secret(), Duration.ofSeconds(2)));

        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.example.com.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("cannot reach").doesNotContain("null");
                });
    }

    @Test
    void aClockOffByMoreThanFifteenMinutesIsAFinalRefusalThatSaysSo() {
        Clock late = Clock.fixed(Instant.now().minus(Duration.ofMinutes(16)), ZoneOffset.UTC);
        AlibabaDnsProvider provider = new AlibabaDnsProvider(settings(FakeAlidns.KEY_ID, alidns.secret()), late);

        assertThatThrownBy(() -> provider.zoneOf("_acme-challenge.example.com."))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("InvalidTimeStamp.Expired").contains("correct the clock");
                });
    }

    @Test
    void everyRequestCarriesAFreshNonceSoAReplayedRequestIsRefused() throws Exception {
        provider(FakeAlidns.KEY_ID, alidns.secret()).zoneOf("_acme-challenge.www.example.com.");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(alidns.endpoint() + "/?"
                + alidns.lastQuery())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("\"Code\":\"SignatureNonceUsed\"");
    }

    @Test
    void settingsRefuseWhatCannotWorkAndNeverShowTheSecret() {
        String secret = alidns.secret();
        AlibabaDnsSettings ok = new AlibabaDnsSettings(null, " " + FakeAlidns.KEY_ID, secret + "\n", null);

        assertThat(ok.endpoint()).isEqualTo(URI.create("https://alidns.aliyuncs.com"));
        assertThat(ok.accessKeySecret()).isEqualTo(secret);
        assertThat(ok.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ok.toString()).contains(FakeAlidns.KEY_ID).doesNotContain(secret);
        assertThatThrownBy(() -> new AlibabaDnsSettings(null, FakeAlidns.KEY_ID, " ", null))
                .hasMessageContaining("AccessKey secret is missing");
        assertThatThrownBy(() -> new AlibabaDnsSettings(null, FakeAlidns.KEY_ID, "half " + secret, null))
                .hasMessageContaining("contains spaces").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> new AlibabaDnsSettings(null, "", secret, null))
                .hasMessageContaining("AccessKey ID is missing");
        assertThatThrownBy(() -> new AlibabaDnsSettings(URI.create("https://alidns.aliyuncs.com/v2"), FakeAlidns.KEY_ID,
                secret, null)).hasMessageContaining("bare URL");
        assertThatThrownBy(() -> new AlibabaDnsSettings(URI.create("https://id:" + secret + "@alidns.aliyuncs.com"),
                FakeAlidns.KEY_ID, secret, null)).hasMessageNotContaining(secret);
    }

    private AlibabaDnsProvider provider(String keyId, String secret) {
        return new AlibabaDnsProvider(settings(keyId, secret));
    }

    private AlibabaDnsSettings settings(String keyId, String secret) {
        return new AlibabaDnsSettings(alidns.endpoint(), keyId, secret, Duration.ofSeconds(5));
    }
}
