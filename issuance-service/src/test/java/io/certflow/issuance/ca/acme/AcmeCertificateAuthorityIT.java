package io.certflow.issuance.ca.acme;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.Component;
import io.certflow.devstack.PebbleProcess;
import io.certflow.devstack.Stack;
import io.certflow.devstack.StackConfig;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CaTransientException;
import io.certflow.issuance.ca.DnsChallenge;
import io.certflow.issuance.ca.OrderState;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.ca.PlacedOrder;
import io.certflow.issuance.ca.RevocationReason;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The acme4j adapter against devstack's real Pebble that validates DNS-01 against devstack's BIND,
 * authoritative for {@code demo.certflow.test.}. The test plays the caller: it publishes the TXT values,
 * triggers, and polls with its own sleeps (the adapter never waits).
 */
class AcmeCertificateAuthorityIT {

    @TempDir
    static Path stackDir;
    private static Stack running;
    private static BindProcess bind;
    private static PebbleProcess pebble;
    private static AcmeCertificateAuthority ca;
    private static CaAccount account;

    @BeforeAll
    static void startPebble() throws Exception {
        StackConfig stack = StackConfig.forTests(stackDir, EnumSet.of(Component.BIND, Component.PEBBLE));
        running = Stack.start(stack);
        bind = running.bind();
        pebble = running.pebble();
        ca = new AcmeCertificateAuthority(URI.create(pebble.directoryUrl()), pebble.caCertificate(), Duration.ofSeconds(10));
        account = ca.registerAccount(KeyType.EC_P256.generate(), Optional.of("ops@certflow.test"));
    }

    @AfterAll
    static void stopPebble() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void issuesACertificateForAllDomainsOverDns01() throws Exception {
        String base = "t" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
        List<String> domains = List.of(base, "*." + base, "www." + base);

        PlacedOrder placed = ca.placeOrder(account, domains, Optional.empty());

        assertThat(placed.state().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(placed.challenges()).hasSize(3);
        assertThat(placed.challenges()).extracting(DnsChallenge::recordName)
                .containsOnly("_acme-challenge." + base + ".", "_acme-challenge.www." + base + ".");
        placed.challenges().stream().collect(Collectors.groupingBy(DnsChallenge::recordName,
                        Collectors.mapping(DnsChallenge::txtValue, Collectors.toList())))
                .forEach(bind::addTxt); // the domain and its wildcard share one name

        ca.triggerChallenges(placed.handle(), placed.challenges());
        ca.triggerChallenges(placed.handle(), placed.challenges()); // again: harmless
        assertThat(PebbleIssuing.pollUntil(ca, pebble, placed.handle(), EnumSet.of(OrderStatus.READY, OrderStatus.INVALID)).status())
                .isEqualTo(OrderStatus.READY);

        KeyPair certificateKey = KeyType.EC_P256.generate();
        ca.finalizeOrder(placed.handle(), CsrFactory.create(certificateKey, KeyType.EC_P256, domains));
        assertThat(PebbleIssuing.pollUntil(ca, pebble, placed.handle(), EnumSet.of(OrderStatus.VALID, OrderStatus.INVALID)).status())
                .isEqualTo(OrderStatus.VALID);

        CertificateChain chain = CertificateChain.parse(ca.downloadCertificate(placed.handle()));
        assertThat(chain.dnsNames()).containsExactlyInAnyOrderElementsOf(domains);
        assertThat(chain.leaf().getPublicKey()).isEqualTo(certificateKey.getPublic());
        assertThat(chain.certificates()).hasSizeGreaterThan(1);
        assertThat(chain.serialNumber()).matches("[0-9a-f]+").doesNotStartWith("0");

        // a renewal order naming the certificate it replaces (Pebble 2.4 has no ARI: sent without 'replaces')
        PlacedOrder renewal = ca.placeOrder(account, domains, Optional.of(chain.pem()));
        assertThat(renewal.handle().orderUrl()).isNotEqualTo(placed.handle().orderUrl());
    }

    @Test
    void pebbleListsTheAccountsOpenOrders_overSeveralPages_byExactIdentifiers() throws Exception {
        CaAccount fresh = ca.registerAccount(KeyType.EC_P256.generate(), Optional.empty());
        String a = "list-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
        String b = "list-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
        PlacedOrder first = ca.placeOrder(fresh, List.of(a), Optional.empty());
        PlacedOrder both = ca.placeOrder(fresh, List.of(b, "www." + b), Optional.empty());
        PlacedOrder second = ca.placeOrder(fresh, List.of(a), Optional.empty());
        ca.placeOrder(fresh, List.of("www." + a), Optional.empty()); // Pebble lists 3 orders per page

        List<PlacedOrder> forA = ca.findOpenOrders(fresh, List.of(a)).orElseThrow();
        assertThat(forA).extracting(o -> o.handle().orderUrl())
                .containsExactlyInAnyOrder(first.handle().orderUrl(), second.handle().orderUrl());
        PlacedOrder found = forA.stream().filter(o -> o.handle().orderUrl().equals(first.handle().orderUrl()))
                .findFirst().orElseThrow();
        assertThat(found.state().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(found.challenges()).isEqualTo(first.challenges());
        assertThat(ca.findOpenOrders(fresh, List.of("WWW." + b, b)).orElseThrow()).extracting(o -> o.handle().orderUrl())
                .containsExactly(both.handle().orderUrl());
        assertThat(ca.findOpenOrders(account, List.of(a)).orElseThrow()).as("another account's orders").isEmpty();
    }

    @Test
    void aMissingTxtRecordInvalidatesTheOrderWithTheCasProblem() throws Exception {
        String domain = "missing-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
        PlacedOrder placed = ca.placeOrder(account, List.of(domain), Optional.empty());

        ca.triggerChallenges(placed.handle(), placed.challenges());
        OrderState state = PebbleIssuing.pollUntil(ca, pebble, placed.handle(), EnumSet.of(OrderStatus.INVALID, OrderStatus.READY));

        assertThat(state.status()).isEqualTo(OrderStatus.INVALID);
        assertThat(state.problem()).isNotNull();
        assertThat(state.problem().type()).startsWith("urn:ietf:params:acme:error:");
        assertThat(state.problem().detail()).contains(domain);
    }

    @Test
    void finalizingAnOrderThatIsNotReadyIsARefusal() throws Exception {
        String domain = "early-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
        PlacedOrder placed = ca.placeOrder(account, List.of(domain), Optional.empty());
        KeyPair key = KeyType.EC_P256.generate();

        assertThatThrownBy(() -> ca.finalizeOrder(placed.handle(), CsrFactory.create(key, KeyType.EC_P256, List.of(domain))))
                .isInstanceOfSatisfying(CaRefusedException.class, e -> {
                    assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:orderNotReady");
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void anIdentifierTheCaRejectsIsAFinalRefusal() {
        assertThatThrownBy(() -> ca.placeOrder(account, List.of("127.0.0.1"), Optional.empty()))
                .isInstanceOfSatisfying(CaRefusedException.class, e -> {
                    assertThat(e.problemType()).isIn("urn:ietf:params:acme:error:rejectedIdentifier",
                            "urn:ietf:params:acme:error:malformed");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void theJvmDefaultTrustIsUntouched_withoutTheProfileAnchorPebbleIsNotTrusted() {
        AcmeCertificateAuthority defaultTrust = new AcmeCertificateAuthority(URI.create(pebble.directoryUrl()), null,
                Duration.ofSeconds(5));

        assertThatThrownBy(() -> defaultTrust.registerAccount(KeyType.EC_P256.generate(), Optional.empty()))
                .isInstanceOf(CaTransientException.class)
                .hasMessageContaining("network");
    }

    @Test
    void anUnreachableCaIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AcmeCertificateAuthority down = new AcmeCertificateAuthority(
                URI.create("https://localhost:" + closedPort + "/dir"), pebble.caCertificate(), Duration.ofSeconds(2));

        assertThatThrownBy(() -> down.registerAccount(KeyType.EC_P256.generate(), Optional.empty()))
                .isInstanceOf(CaTransientException.class);
    }

    @Test
    void revokesWithTheAccountKey_aSecondRevocationIsAlreadyRevoked_andAnotherAccountCannotRevoke() throws Exception {
        String domain = "revoke-" + UUID.randomUUID().toString().substring(0, 8) + ".demo.certflow.test";
        CertificateChain chain = PebbleIssuing.issue(ca, account, bind, pebble, List.of(domain));
        CaAccount stranger = ca.registerAccount(KeyType.EC_P256.generate(), Optional.empty());

        assertThatThrownBy(() -> ca.revoke(stranger, chain.pem(), RevocationReason.KEY_COMPROMISE))
                .isInstanceOfSatisfying(CaRefusedException.class, e ->
                        assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:unauthorized"));

        ca.revoke(account, chain.pem(), RevocationReason.KEY_COMPROMISE);

        assertThatThrownBy(() -> ca.revoke(account, chain.pem(), RevocationReason.SUPERSEDED))
                .isInstanceOfSatisfying(CaRefusedException.class, e -> {
                    assertThat(e.problemType()).isEqualTo("urn:ietf:params:acme:error:alreadyRevoked");
                    assertThat(e.retryable()).isFalse();
                });
    }

    /** Issues a certificate for {@code domains} the way the state machine does, with the test's own sleeps. */
}
