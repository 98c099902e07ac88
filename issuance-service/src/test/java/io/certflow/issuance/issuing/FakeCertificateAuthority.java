package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CertificateAuthority;
import io.certflow.issuance.ca.DnsChallenge;
import io.certflow.issuance.ca.OrderHandle;
import io.certflow.issuance.ca.OrderState;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.ca.PlacedOrder;
import io.certflow.issuance.keys.KeyEncoding;
import io.certflow.issuance.keys.KeyType;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A scripted CA for unit tests: answers from queues and signs the CSR it is given. */
class FakeCertificateAuthority implements CertificateAuthority {

    final Deque<Object> pollAnswers = new ArrayDeque<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    Object nextPlaceAnswer;
    CaException nextTriggerFailure;
    CaException nextRevokeFailure;
    List<String> authorizationsToProve = List.of("example.test");
    byte[] lastCsr;
    String replacedPem;
    PublicKey certifyInstead;
    private final KeyPair caKey = KeyType.EC_P256.generate();
    private int orders;

    /** An order the fake CA holds open, by account URL and identifiers. */
    record ListedOrder(String accountUrl, List<String> domains, PlacedOrder order) {
    }

    /** Orders created and still open (the test removes one to "finish" it). */
    final List<ListedOrder> openOrders = new ArrayList<>();
    /** false: the CA does not list an account's orders (as Let's Encrypt). */
    boolean listsOrders = true;
    /** Thrown after the next order was created: the process "dies" before the answer is stored. */
    Error loseNextPlaceAnswer;
    /** Run when an order is asked for, before anything else (to look at what was stored by then). */
    Runnable onPlace = () -> { };
    /** Thrown after the next order was created: the answer is lost on the way (a timeout). */
    CaException failAfterNextPlace;

    /** How many orders were created. */
    int ordersCreated() {
        return orders;
    }

    @Override
    public CaAccount registerAccount(KeyPair accountKey, Optional<String> contactEmail) {
        calls.add("register");
        return new CaAccount(URI.create("https://ca.test/acct/1"), accountKey);
    }

    @Override
    public PlacedOrder placeOrder(CaAccount account, List<String> domains, Optional<String> replacedCertificatePem)
            throws CaException {
        calls.add("place");
        onPlace.run(); // outside the lock: a test may slow the CA down here to see steps overlap
        return placeOrderNow(account, domains, replacedCertificatePem);
    }

    private synchronized PlacedOrder placeOrderNow(CaAccount account, List<String> domains,
                                                   Optional<String> replacedCertificatePem) throws CaException {
        replacedPem = replacedCertificatePem.orElse(null);
        if (nextPlaceAnswer instanceof CaException e) {
            nextPlaceAnswer = null;
            throw e;
        }
        if (nextPlaceAnswer instanceof Error crash) {
            nextPlaceAnswer = null;
            throw crash;
        }
        OrderHandle handle = new OrderHandle(account, URI.create("https://ca.test/order/" + ++orders));
        List<DnsChallenge> challenges = authorizationsToProve.stream()
                .map(d -> new DnsChallenge(d, DnsChallenge.recordNameFor(d), "txt-" + d, URI.create("https://ca.test/chall/" + d)))
                .toList();
        PlacedOrder placed = new PlacedOrder(handle, OrderState.of(OrderStatus.PENDING), challenges);
        openOrders.add(new ListedOrder(account.accountUrl().toString(), List.copyOf(domains), placed));
        if (loseNextPlaceAnswer != null) {
            Error lost = loseNextPlaceAnswer;
            loseNextPlaceAnswer = null;
            throw lost;
        }
        if (failAfterNextPlace != null) {
            CaException lost = failAfterNextPlace;
            failAfterNextPlace = null;
            throw lost;
        }
        return placed;
    }

    @Override
    public Optional<List<PlacedOrder>> findOpenOrders(CaAccount account, List<String> domains) {
        calls.add("list");
        if (!listsOrders) {
            return Optional.empty();
        }
        java.util.Set<String> wanted = new java.util.TreeSet<>(domains);
        return Optional.of(openOrders.stream()
                .filter(o -> o.accountUrl().equals(account.accountUrl().toString())
                        && new java.util.TreeSet<>(o.domains()).equals(wanted))
                .map(ListedOrder::order).toList());
    }

    @Override
    public void triggerChallenges(OrderHandle order, List<DnsChallenge> challenges) throws CaException {
        calls.add("trigger:" + challenges.size());
        if (nextTriggerFailure != null) {
            CaException e = nextTriggerFailure;
            nextTriggerFailure = null;
            throw e;
        }
    }

    @Override
    public OrderState poll(OrderHandle order) throws CaException {
        calls.add("poll");
        Object answer = pollAnswers.isEmpty() ? OrderState.of(OrderStatus.PENDING) : pollAnswers.removeFirst();
        if (answer instanceof CaException e) {
            throw e;
        }
        return (OrderState) answer;
    }

    @Override
    public void finalizeOrder(OrderHandle order, byte[] csrDer) {
        calls.add("finalize");
        lastCsr = csrDer;
    }

    @Override
    public String downloadCertificate(OrderHandle order) throws CaException {
        calls.add("download");
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(lastCsr));
            X500Name issuer = new X500Name("CN=Fake CA");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(0x0abcdefL + orders),
                    Date.from(Instant.parse("2030-01-01T00:00:00Z")), Date.from(Instant.parse("2030-04-01T00:00:00Z")),
                    new X500Name("CN=example.test"), certifyInstead != null ? certifyInstead : csr.getPublicKey());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "example.test")));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
            return KeyEncoding.pem("CERTIFICATE", cert.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void revoke(CaAccount account, String certificatePem, io.certflow.issuance.ca.RevocationReason reason)
            throws CaException {
        calls.add("revoke:" + reason.rfcName());
        if (nextRevokeFailure != null) {
            CaException e = nextRevokeFailure;
            nextRevokeFailure = null;
            throw e;
        }
    }

    /** The renewal information the fake CA answers with ({@link io.certflow.issuance.ca.RenewalInformation#NONE}: no ARI). */
    io.certflow.issuance.ca.RenewalInformation renewalInfo = io.certflow.issuance.ca.RenewalInformation.NONE;

    @Override
    public io.certflow.issuance.ca.RenewalInformation renewalInformation() {
        return renewalInfo;
    }

    /** What the CA's directory lists as {@code caaIdentities}: a {@code List<String>}, or a {@link CaException}. */
    Object caaIdentities = List.of();

    @Override
    @SuppressWarnings("unchecked")
    public List<String> caaIdentities() throws CaException {
        calls.add("caa-identities");
        if (caaIdentities instanceof CaException e) {
            throw e;
        }
        return (List<String>) caaIdentities;
    }
}
