package io.certflow.verification.dns.provider.route53;

import io.certflow.verification.dns.provider.DnsProviderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Automatic DNS through Route 53, against {@link FakeRoute53} (which checks every request's signature, paths
 * and XML as AWS documents them): values are added beside and removed without touching other values at the
 * name, the zone is the closest public hosted zone, and each way Route 53 can refuse or fail becomes a final or
 * transient error that names the access key id, never its secret.
 */
class Route53ProviderTest {

    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-27T12:00:00Z"), ZoneOffset.UTC);
    private static final String NAME = "_acme-challenge.www.example.com.";

    private FakeRoute53 route53;

    @BeforeEach
    void start() throws Exception {
        route53 = new FakeRoute53(KEY_ID, SECRET, null, CLOCK);
    }

    @AfterEach
    void stop() {
        route53.close();
    }

    @Test
    void addsValuesBesideOnesAlreadyThereAndRemovesOnlyItsOwn() throws Exception {
        String zone = route53.addZone("example.com.", false);
        route53.putTxt(zone, NAME, 300, "\"another-clients-digest\"");
        route53.putTxt(zone, "_acme-challenge.zzz.example.com.", 300, "\"the-next-names-digest\"");
        Route53Provider provider = provider(SECRET);

        assertThat(provider.addTxt(NAME, List.of("apex-digest", "wildcard-digest"))).isEqualTo("example.com.");

        assertThat(route53.txtValues(zone, NAME))
                .containsExactlyInAnyOrder("\"another-clients-digest\"", "\"apex-digest\"", "\"wildcard-digest\"");
        assertThat(route53.txt(zone, NAME).orElseThrow().ttl()).isEqualTo(60);
        assertThat(route53.txtValues(zone, "_acme-challenge.zzz.example.com.")).containsExactly("\"the-next-names-digest\"");

        provider.removeTxt(NAME, List.of("apex-digest", "wildcard-digest"));

        assertThat(route53.txtValues(zone, NAME)).containsExactly("\"another-clients-digest\"");
        assertThat(route53.changeActions()).containsExactly("UPSERT", "UPSERT");
        provider.removeTxt(NAME, List.of("apex-digest")); // not there any more: no error, no change
        assertThat(route53.changeActions()).hasSize(2);
    }

    @Test
    void addingValuesAlreadyThereChangesNothing() throws Exception {
        String zone = route53.addZone("example.com.", false);
        // no TXT at NAME yet: Route 53 lists the set that sorts next, which is another name's
        route53.putTxt(zone, "_acme-challenge.zzz.example.com.", 300, "\"the-next-names-digest\"");
        Route53Provider provider = provider(SECRET);

        provider.addTxt(NAME, List.of("digest", "digest"));
        provider.addTxt(NAME, List.of("digest"));

        assertThat(route53.txtValues(zone, NAME)).containsExactly("\"digest\"");
        assertThat(route53.changeActions()).containsExactly("UPSERT");
    }

    @Test
    void removingTheLastValueDeletesTheSetWithItsExactCurrentContent() throws Exception {
        String zone = route53.addZone("example.com.", false);
        route53.putTxt(zone, NAME, 300, "\"our-digest\""); // TTL 300: a DELETE must repeat it exactly
        Route53Provider provider = provider(SECRET);

        provider.removeTxt(NAME, List.of("our-digest"));

        assertThat(route53.txt(zone, NAME)).isEmpty();
        assertThat(route53.changeActions()).containsExactly("DELETE");
        provider.removeTxt(NAME, List.of("our-digest"));
        assertThat(route53.changeActions()).containsExactly("DELETE");
    }

    @Test
    void aValueLongerThan255CharactersIsWrittenAsSeveralStringsAndRemovedAgain() throws Exception {
        String zone = route53.addZone("example.com.", false);
        String value = "v".repeat(300);
        Route53Provider provider = provider(SECRET);

        provider.addTxt(NAME, List.of(value));

        assertThat(route53.txtValues(zone, NAME)).containsExactly("\"" + "v".repeat(255) + "\" \"" + "v".repeat(45) + "\"");
        provider.removeTxt(NAME, List.of(value));
        assertThat(route53.txt(zone, NAME)).isEmpty();
    }

    @Test
    void theClosestHostedZoneHoldsTheNameWhenASubdomainIsHostedSeparately() throws Exception {
        String parent = route53.addZone("example.com.", false);
        String child = route53.addZone("sub.example.com.", false);
        Route53Provider provider = provider(SECRET);

        assertThat(provider.addTxt("_acme-challenge.www.sub.example.com.", List.of("d"))).isEqualTo("sub.example.com.");

        assertThat(route53.txtValues(child, "_acme-challenge.www.sub.example.com.")).containsExactly("\"d\"");
        assertThat(route53.txt(parent, "_acme-challenge.www.sub.example.com.")).isEmpty();
        assertThat(provider.zoneOf("_acme-challenge.example.com.")).contains("example.com.");
        assertThat(provider.zoneOf("_acme-challenge.www.other-sub.example.com")).as("a zone listed next is not it")
                .contains("example.com.");
        assertThat(provider.zoneOf("_ACME-Challenge.WWW.Sub.Example.COM.")).contains("sub.example.com.");
    }

    @Test
    void privateHostedZonesArePassedOverSinceTheCaDoesNotSeeThem() throws Exception {
        String privateZone = route53.addZone("example.org.", true);
        String publicZone = route53.addZone("example.org.", false);
        route53.addZone("internal.example.net.", true);
        route53.addZone("example.net.", false);
        Route53Provider provider = provider(SECRET);

        provider.addTxt("_acme-challenge.example.org.", List.of("d"));

        assertThat(route53.txtValues(publicZone, "_acme-challenge.example.org.")).containsExactly("\"d\"");
        assertThat(route53.txt(privateZone, "_acme-challenge.example.org.")).isEmpty();
        assertThat(provider.zoneOf("_acme-challenge.internal.example.net.")).contains("example.net.");
    }

    @Test
    void aNameInNoHostedZoneHasNoZoneAndCannotBeWritten() throws Exception {
        route53.addZone("example.com.", false);
        Route53Provider provider = provider(SECRET);

        assertThat(provider.zoneOf("_acme-challenge.elsewhere.example.")).isEmpty();
        assertThatThrownBy(() -> provider.addTxt("_acme-challenge.elsewhere.example.", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("no public hosted zone").contains("_acme-challenge.elsewhere.example.");
                });
        assertThatThrownBy(() -> provider.addTxt("not a name!", List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> assertThat(e.transientFailure()).isFalse())
                .hasMessageContaining("is not a DNS name");
    }

    @Test
    void aWrongSecretIsAFinalRefusalThatNamesTheKeyIdNeverTheSecretAndChangesNothing() throws Exception {
        String zone = route53.addZone("example.com.", false);
        String wrongSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEYX";

        assertThatThrownBy(() -> provider(wrongSecret).addTxt(NAME, List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains(KEY_ID).contains("SignatureDoesNotMatch")
                            .doesNotContain(wrongSecret).doesNotContain(SECRET);
                });
        assertThat(route53.txt(zone, NAME)).isEmpty();
    }

    @Test
    void anUnknownKeyIdOrSessionTokenIsAFinalRefusal() throws Exception {
        route53.addZone("example.com.", false);
        Route53Provider unknownKey = new Route53Provider(new Route53Settings(route53.endpoint(), "AKIAUNKNOWNEXAMPLE12",
                SECRET, null, null, Duration.ofSeconds(5)), CLOCK);
        Route53Provider unexpectedToken = new Route53Provider(new Route53Settings(route53.endpoint(), KEY_ID, SECRET,
                "FwoGZXIvYXdzEXAMPLE", null, Duration.ofSeconds(5)), CLOCK);

        assertThatThrownBy(() -> unknownKey.zoneOf(NAME)).isInstanceOfSatisfying(DnsProviderException.class, e -> {
            assertThat(e.transientFailure()).isFalse();
            assertThat(e.getMessage()).contains("does not know access key AKIAUNKNOWNEXAMPLE12")
                    .contains("InvalidClientTokenId").doesNotContain(SECRET);
        });
        assertThatThrownBy(() -> unexpectedToken.zoneOf(NAME)).isInstanceOfSatisfying(DnsProviderException.class, e -> {
            assertThat(e.transientFailure()).isFalse();
            assertThat(e.getMessage()).contains("with this session token").doesNotContain("FwoGZXIvYXdzEXAMPLE");
        });
    }

    @Test
    void temporaryCredentialsSendTheirSessionToken() throws Exception {
        String token = "FwoGZXIvYXdzEXAMPLEtoken/with+chars==";
        try (FakeRoute53 sts = new FakeRoute53(KEY_ID, SECRET, token, CLOCK)) {
            String zone = sts.addZone("example.com.", false);
            Route53Provider provider = new Route53Provider(new Route53Settings(sts.endpoint(), KEY_ID, SECRET, token,
                    null, Duration.ofSeconds(5)), CLOCK);
            Route53Provider withoutToken = new Route53Provider(new Route53Settings(sts.endpoint(), KEY_ID, SECRET, null,
                    null, Duration.ofSeconds(5)), CLOCK);

            provider.addTxt(NAME, List.of("d"));

            assertThat(sts.txtValues(zone, NAME)).containsExactly("\"d\"");
            assertThatThrownBy(() -> withoutToken.zoneOf(NAME)).isInstanceOfSatisfying(DnsProviderException.class,
                    e -> assertThat(e.transientFailure()).isFalse());
        }
    }

    @Test
    void aClockMoreThanFiveMinutesOffIsAFinalRefusalThatSaysSo() throws Exception {
        route53.addZone("example.com.", false);
        Route53Provider late = new Route53Provider(settings(SECRET, Duration.ofSeconds(5)),
                Clock.offset(CLOCK, Duration.ofMinutes(10)));

        assertThatThrownBy(() -> late.addTxt(NAME, List.of("d"))).isInstanceOfSatisfying(DnsProviderException.class, e -> {
            assertThat(e.transientFailure()).isFalse();
            assertThat(e.getMessage()).contains("clock").contains("Signature expired");
        });
    }

    @Test
    void aMissingPermissionIsAFinalRefusalNamingThePermissionToGrant() throws Exception {
        String zone = route53.addZone("example.com.", false);
        route53.deny("ChangeResourceRecordSets");

        assertThatThrownBy(() -> provider(SECRET).addTxt(NAME, List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isFalse();
                    assertThat(e.getMessage()).contains("access key " + KEY_ID + " may not call ChangeResourceRecordSets")
                            .contains("route53:ChangeResourceRecordSets").contains("AccessDenied");
                });
        assertThat(route53.txt(zone, NAME)).isEmpty();
    }

    @Test
    void throttlingAChangeInProgressAndServerErrorsAreTransientAndTheNextTryWorks() throws Exception {
        String zone = route53.addZone("example.com.", false);
        Route53Provider provider = provider(SECRET);
        List<String[]> failures = List.of(
                new String[] {"400", "Throttling", "Rate exceeded", "throttling"},
                new String[] {"400", "PriorRequestNotComplete", "The request was rejected because Route 53 was still"
                        + " processing a prior request.", "still applying an earlier change"},
                new String[] {"503", "ServiceUnavailable", "Service Unavailable", "trying again later may help"});

        for (String[] failure : failures) {
            route53.failNext(1, Integer.parseInt(failure[0]), failure[1], failure[2]);
            assertThatThrownBy(() -> provider.addTxt(NAME, List.of("d")))
                    .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                        assertThat(e.transientFailure()).as(failure[1]).isTrue();
                        assertThat(e.getMessage()).contains(failure[1]).contains(failure[3]);
                    });
        }
        provider.addTxt(NAME, List.of("d"));
        assertThat(route53.txtValues(zone, NAME)).containsExactly("\"d\"");
    }

    @Test
    void aServerThatTakesTheRequestButNeverAnswersIsATransientTimeout() throws Exception {
        route53.addZone("example.com.", false);
        route53.hang();
        Route53Provider provider = new Route53Provider(settings(SECRET, Duration.ofMillis(500)), CLOCK);
        long start = System.nanoTime();

        assertThatThrownBy(() -> provider.addTxt(NAME, List.of("d")))
                .isInstanceOfSatisfying(DnsProviderException.class, e -> {
                    assertThat(e.transientFailure()).isTrue();
                    assertThat(e.getMessage()).contains("did not answer within 500 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anEndpointNobodyListensOnIsATransientFailure() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Route53Provider provider = new Route53Provider(new Route53Settings(URI.create("http://127.0.0.1:" + closed),
                KEY_ID, SECRET, null, null, Duration.ofSeconds(2)), CLOCK);

        assertThatThrownBy(() -> provider.zoneOf(NAME)).isInstanceOfSatisfying(DnsProviderException.class, e -> {
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.getMessage()).contains("cannot reach Route 53").doesNotContain(SECRET);
        });
    }

    private Route53Provider provider(String secret) {
        return new Route53Provider(settings(secret, Duration.ofSeconds(5)), CLOCK);
    }

    private Route53Settings settings(String secret, Duration timeout) {
        return new Route53Settings(route53.endpoint(), KEY_ID, secret, null, null, timeout);
    }
}
