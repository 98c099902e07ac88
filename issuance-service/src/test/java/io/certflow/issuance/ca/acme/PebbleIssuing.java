package io.certflow.issuance.ca.acme;

import io.certflow.devstack.BindProcess;
import io.certflow.devstack.PebbleProcess;
import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.DnsChallenge;
import io.certflow.issuance.ca.OrderHandle;
import io.certflow.issuance.ca.OrderState;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.ca.PlacedOrder;
import io.certflow.issuance.keys.CertificateChain;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyType;

import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Issues a certificate through the acme4j adapter the way the state machine does, with the test's own
 * sleeps: TXT values into devstack's BIND, trigger, poll, finalize, download. For tests that need a real
 * Pebble certificate as their starting point.
 */
public final class PebbleIssuing {

    private PebbleIssuing() {
    }

    /** A certificate for {@code domains} (all under {@code demo.certflow.test}). */
    public static CertificateChain issue(AcmeCertificateAuthority ca, CaAccount account, BindProcess bind,
                                         PebbleProcess pebble, List<String> domains) throws Exception {
        PlacedOrder placed = ca.placeOrder(account, domains, Optional.empty());
        placed.challenges().stream().collect(Collectors.groupingBy(DnsChallenge::recordName,
                        Collectors.mapping(DnsChallenge::txtValue, Collectors.toList())))
                .forEach(bind::addTxt);
        ca.triggerChallenges(placed.handle(), placed.challenges());
        require(pollUntil(ca, pebble, placed.handle(), EnumSet.of(OrderStatus.READY, OrderStatus.INVALID)), OrderStatus.READY);
        KeyPair key = KeyType.EC_P256.generate();
        ca.finalizeOrder(placed.handle(), CsrFactory.create(key, KeyType.EC_P256, domains));
        require(pollUntil(ca, pebble, placed.handle(), EnumSet.of(OrderStatus.VALID, OrderStatus.INVALID)), OrderStatus.VALID);
        return CertificateChain.parse(ca.downloadCertificate(placed.handle()));
    }

    private static void require(OrderState state, OrderStatus wanted) {
        if (state.status() != wanted) {
            throw new AssertionError("order is " + state + ", not " + wanted);
        }
    }

    /** Polls the order (every 200 ms, at most 60 s) until it reaches one of {@code wanted}. */
    public static OrderState pollUntil(AcmeCertificateAuthority ca, PebbleProcess pebble, OrderHandle handle,
                                       Set<OrderStatus> wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        OrderState state;
        do {
            state = ca.poll(handle);
            if (wanted.contains(state.status())) {
                return state;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("order stayed " + state + "\n" + Files.readString(pebble.logFile()));
    }
}
