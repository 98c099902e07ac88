package io.certflow.issuance.ca.acme;

import io.certflow.devstack.AriEndpoint;
import io.certflow.devstack.BindProcess;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.Pki;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.ca.PlacedOrder;
import io.certflow.issuance.ca.RenewalAdvice;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.KeyType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 9773 renewal information through the acme4j adapter: real Pebble 2.4 (which has no ARI) behind
 * devstack's {@link AriEndpoint}, whose directory adds {@code renewalInfo} and answers with the RFC's documented
 * responses. Also shows that a renewal order with {@code replaces} goes through to Pebble 2.4.
 */
class AcmeRenewalInformationIT {

    @TempDir
    static Path stackDir;
    private static PebbleWithAri fixture;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    private static AriEndpoint ari;
    private static AcmeCertificateAuthority ca;
    private static CaAccount account;

    @BeforeAll
    static void start() throws Exception {
        fixture = PebbleWithAri.start(stackDir);
        bind = fixture.bind();
        pebble = fixture.pebble();
        ari = fixture.ari();
        ca = fixture.ca();
        account = fixture.account();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void readsTheSuggestedWindowWithItsRetryAfter_andFollowsAChange() throws Exception {
        CertificateChain chain = issue(List.of("ari-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test"));
        Instant before = Instant.now();

        RenewalAdvice first = ca.renewalInformation().fetch(account, chain.pem()).orElseThrow();

        Duration lifetime = Duration.between(chain.notBefore(), chain.notAfter());
        assertThat(first.window().start()).isCloseTo(chain.notBefore().plus(lifetime.multipliedBy(2).dividedBy(3)),
                org.assertj.core.api.Assertions.within(1, ChronoUnit.SECONDS));
        assertThat(first.window().end()).isAfter(first.window().start()).isBefore(chain.notAfter());
        assertThat(first.window().explanationUrl()).hasToString(AriEndpoint.DEFAULT_EXPLANATION_URL);
        assertThat(first.retryAfter()).isBetween(before.plus(Duration.ofHours(6)).minusSeconds(2),
                Instant.now().plus(Duration.ofHours(6)).plusSeconds(2));

        Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        ari.suggest(chain.serialNumber(), start, start.plus(Duration.ofHours(2)), null);
        ari.retryAfter(Duration.ofMinutes(1));

        RenewalAdvice moved = ca.renewalInformation().fetch(account, chain.pem()).orElseThrow();

        assertThat(moved.window().start()).isEqualTo(start);
        assertThat(moved.window().end()).isEqualTo(start.plus(Duration.ofHours(2)));
        assertThat(moved.window().explanationUrl()).isNull();
        assertThat(moved.retryAfter()).isBefore(Instant.now().plus(Duration.ofMinutes(1)).plusSeconds(2));
        assertThat(ari.answered(chain.serialNumber())).isEqualTo(2);
    }

    @Test
    void aCertificateTheCaNeverIssuedIsRefused() {
        Pki.Issued otherCa = Pki.newCa("not Pebble", Duration.ofDays(1));
        Pki.Issued stranger = Pki.newServerCertificate(otherCa, List.of("stranger.demo.certflow.test"), List.of(),
                Duration.ofDays(1));

        assertThatThrownBy(() -> ca.renewalInformation().fetch(account, Pki.toPem(stranger.certificate())))
                .isInstanceOfSatisfying(CaRefusedException.class, e ->
                        assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:malformed"));
    }

    @Test
    void aDirectoryWithoutRenewalInfoHasNoWindow() throws Exception {
        AcmeCertificateAuthority plainPebble = new AcmeCertificateAuthority(URI.create(pebble.directoryUrl()),
                pebble.caCertificate(), Duration.ofSeconds(10));
        CaAccount plainAccount = plainPebble.registerAccount(KeyType.EC_P256.generate(), Optional.empty());
        Pki.Issued otherCa = Pki.newCa("any", Duration.ofDays(1));
        Pki.Issued any = Pki.newServerCertificate(otherCa, List.of("any.demo.certflow.test"), List.of(), Duration.ofDays(1));

        assertThat(plainPebble.renewalInformation().fetch(plainAccount, Pki.toPem(any.certificate()))).isEmpty();
    }

    @Test
    void pebble24AcceptsARenewalOrderThatCarriesReplaces() throws Exception {
        List<String> domains = List.of("replaces-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test");
        CertificateChain chain = issue(domains);
        ch.qos.logback.classic.Logger jose = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("org.shredzone.acme4j.toolbox.JoseUtils");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> payloads =
                new ch.qos.logback.core.read.ListAppender<>();
        payloads.start();
        ch.qos.logback.classic.Level level = jose.getLevel();
        jose.setLevel(ch.qos.logback.classic.Level.DEBUG);
        jose.addAppender(payloads);
        PlacedOrder renewal;
        try {
            renewal = ca.placeOrder(account, domains, Optional.of(chain.pem()));
        } finally {
            jose.detachAppender(payloads);
            jose.setLevel(level);
        }

        assertThat(renewal.state().status()).isIn(OrderStatus.PENDING, OrderStatus.READY);
        assertThat(renewal.handle().orderUrl().toString()).startsWith("https://localhost:");
        assertThat(payloads.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .as("the new-order request Pebble accepted named the replaced certificate")
                .anySatisfy(m -> assertThat(m).contains("\"replaces\":\"" + AriEndpoint.certId(chain.leaf()) + "\""));
    }

    private static CertificateChain issue(List<String> domains) throws Exception {
        return PebbleIssuing.issue(ca, account, bind, pebble, domains);
    }
}
