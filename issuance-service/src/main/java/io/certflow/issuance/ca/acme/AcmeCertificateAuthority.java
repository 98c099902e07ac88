package io.certflow.issuance.ca.acme;

import io.certflow.issuance.ca.CaAccount;
import io.certflow.issuance.ca.CaException;
import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;
import io.certflow.issuance.ca.CertificateAuthority;
import io.certflow.issuance.ca.DnsChallenge;
import io.certflow.issuance.ca.ExternalAccountBinding;
import io.certflow.issuance.ca.OrderHandle;
import io.certflow.issuance.ca.OrderState;
import io.certflow.issuance.ca.OrderStatus;
import io.certflow.issuance.ca.PlacedOrder;
import io.certflow.issuance.ca.RevocationReason;
import io.certflow.issuance.keys.BouncyCastle;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link CertificateAuthority} of one ACME CA profile, on acme4j 4: any directory URL
 * ({@code https://…} or acme4j's {@code acme://…} shortcuts), DNS-01 only.
 *
 * <p>Exists to keep acme4j behind the port: this package is the only importer of
 * {@code org.shredzone.acme4j}. Each method makes a short, bounded number of requests and never calls acme4j's {@code wait…}
 * methods: the caller polls. Trust: with a {@code trusted-certificate} the profile's connections
 * trust only that PEM (see {@link ProfileAcmeProvider}); without one, the JVM's default trust.
 *
 * <p>Sessions: one acme4j {@link Session} per thread, kept for the profile's life. A session holds the directory,
 * the last nonce and (acme4j 4) its HTTP client with its open connections, so a thread's later calls neither
 * fetch the directory nor a nonce again nor open a TLS connection; a session is not shared between threads (its
 * nonce is plain state). A fresh session per call, as before, cost a directory fetch, a nonce request and a TLS
 * handshake per call (docs/benchmarks.md).
 */
public final class AcmeCertificateAuthority implements CertificateAuthority {

    private static final Logger log = LoggerFactory.getLogger(AcmeCertificateAuthority.class);

    private final URI directoryUrl;
    private final SSLContext sslContext;
    private final Duration requestTimeout;
    private final AcmeOptions options;
    private volatile List<String> caaIdentities;
    private final ThreadLocal<Session> sessions = ThreadLocal.withInitial(this::createSession);

    /**
     * @param directoryUrl       the ACME directory ({@code https://localhost:14000/dir} for Pebble)
     * @param trustedCertificate PEM of the anchors the CA's TLS listener chains to, or null for the
     *                           JVM default trust
     * @param requestTimeout     connect and request timeout of every single request
     */
    public AcmeCertificateAuthority(URI directoryUrl, Path trustedCertificate, Duration requestTimeout) {
        this(directoryUrl, trustedCertificate, requestTimeout, AcmeOptions.NONE);
    }

    /**
     * @param directoryUrl       the ACME directory
     * @param trustedCertificate PEM of the CA's TLS anchors, or null for the JVM default trust
     * @param requestTimeout     connect and request timeout of every single request
     * @param options            external account binding, preferred chain and ACME profile of this CA profile
     */
    public AcmeCertificateAuthority(URI directoryUrl, Path trustedCertificate, Duration requestTimeout,
                                    AcmeOptions options) {
        BouncyCastle.ensureRegistered();
        this.options = options == null ? AcmeOptions.NONE : options;
        this.directoryUrl = Objects.requireNonNull(directoryUrl, "directoryUrl");
        this.requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        this.sslContext = trustedCertificate == null ? null : ProfileTrust.trustingOnly(trustedCertificate);
        String scheme = directoryUrl.getScheme();
        if (sslContext != null && !"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("a trusted-certificate needs an http(s) directory URL, not " + directoryUrl);
        }
    }

    /** The directory this profile talks to. */
    public URI directoryUrl() {
        return directoryUrl;
    }

    @Override
    public CaAccount registerAccount(KeyPair accountKey, Optional<String> contactEmail) throws CaException {
        try {
            AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
            contactEmail.filter(e -> !e.isBlank()).ifPresent(builder::addEmail);
            ExternalAccountBinding eab = options.externalAccountBinding();
            if (eab != null) {
                builder.withKeyIdentifier(eab.keyId(), eab.hmacKey());
                if (eab.macAlgorithm() != null) {
                    builder.withMacAlgorithm(eab.macAlgorithm());
                }
            }
            Login login = builder.createLogin(session());
            URI url = login.getAccountLocation().toURI();
            log.info("ACME account registered at {}{}", url, eab == null ? "" : " (external account " + eab.keyId() + ")");
            return new CaAccount(url, accountKey);
        } catch (AcmeException | RuntimeException | URISyntaxException e) {
            throw AccountBindingErrors.explain(AcmeErrors.translate("register account", e), options.externalAccountBinding());
        }
    }

    /**
     * Rolls the account over to {@code newKey} (RFC 8555 §7.3.5): the account URL stays, every later
     * request must be signed with the new key.
     */
    @Override
    public void changeAccountKey(CaAccount account, KeyPair newKey) throws CaException {
        try {
            Login login = login(session(), account);
            login.getAccount().changeKey(newKey);
            log.info("ACME account {} rolled over to a new key", account.accountUrl());
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("change account key", e);
        }
    }

    /** The URL of the account of {@code accountKey}, asked with {@code onlyReturnExisting} (creates nothing). */
    @Override
    public Optional<URI> findAccount(KeyPair accountKey) throws CaException {
        try {
            Login login = new AccountBuilder().onlyExisting().useKeyPair(accountKey).createLogin(session());
            return Optional.of(login.getAccountLocation().toURI());
        } catch (AcmeException | RuntimeException | URISyntaxException e) {
            CaException translated = AcmeErrors.translate("find account", e);
            if (translated instanceof CaRefusedException refused && refused.problemType().endsWith(":accountDoesNotExist")) {
                return Optional.empty();
            }
            throw translated;
        }
    }

    @Override
    public PlacedOrder placeOrder(CaAccount account, List<String> domains, Optional<String> replacedCertificatePem)
            throws CaException {
        try {
            Session session = session();
            Login login = login(session, account);
            OrderBuilder builder = login.newOrder().domains(domains);
            if (options.acmeProfile() != null) {
                builder.profile(offeredProfile(session, options.acmeProfile()));
            }
            if (replacedCertificatePem.isPresent()) {
                if (session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent()) {
                    builder.replaces(leafOf(replacedCertificatePem.get()));
                } else {
                    log.debug("CA {} offers no renewal information; ordering without 'replaces'", directoryUrl);
                }
            }
            Order order = builder.create();
            OrderHandle handle = new OrderHandle(account, order.getLocation().toURI());
            List<DnsChallenge> challenges = challengesOf(order);
            log.info("ACME order {} placed for {} ({} challenges)", handle.orderUrl(), domains, challenges.size());
            return new PlacedOrder(handle, new OrderState(map(order.getStatus()), null,
                    order.getError().map(AcmeErrors::problem).orElse(null)), challenges);
        } catch (CaRefusedException e) {
            throw e;
        } catch (AcmeException | RuntimeException | URISyntaxException e) {
            throw AcmeErrors.translate("place order", e);
        }
    }

    /** The DNS-01 challenge of every authorization of {@code order} that is still pending. */
    private static List<DnsChallenge> challengesOf(Order order) throws AcmeException, CaRefusedException, URISyntaxException {
        List<DnsChallenge> challenges = new ArrayList<>();
        for (Authorization authorization : order.getAuthorizations()) {
            authorization.fetch();
            Status status = authorization.getStatus();
            String domain = authorization.getIdentifier().getDomain();
            if (status == Status.VALID) {
                continue;
            }
            if (status != Status.PENDING) {
                throw new CaRefusedException(new CaProblem(AcmeErrors.CERTFLOW_PREFIX + "authorization-" + status.name().toLowerCase(),
                        "authorization for " + domain + " is " + status.name().toLowerCase()), true);
            }
            Dns01Challenge challenge = authorization.findChallenge(Dns01Challenge.class)
                    .orElseThrow(() -> new CaRefusedException(new CaProblem(AcmeErrors.CERTFLOW_PREFIX + "no-dns01",
                            "the CA offers no dns-01 challenge for " + domain), false));
            challenges.add(new DnsChallenge(domain, challenge.getRRName(domain), challenge.getDigest(),
                    challenge.getLocation().toURI()));
        }
        return challenges;
    }

    /**
     * Lists the account's orders (RFC 8555 §7.1.2.1, every page), reads each and keeps the pending or ready
     * ones for exactly these identifiers. At most {@value #MAX_LISTED_ORDERS} orders are read, so the call stays
     * bounded for an account with a long history. Pebble lists every order not invalid; Let's Encrypt has no
     * {@code orders} URL, which acme4j reports as not supported: then the answer is empty.
     */
    @Override
    public Optional<List<PlacedOrder>> findOpenOrders(CaAccount account, List<String> domains) throws CaException {
        Set<String> wanted = lowerCase(domains);
        try {
            Login login = login(session(), account);
            Iterator<Order> orders;
            try {
                orders = login.getAccount().getOrders();
            } catch (AcmeNotSupportedException e) {
                log.debug("CA {} does not list an account's orders", directoryUrl);
                return Optional.empty();
            }
            List<PlacedOrder> open = new ArrayList<>();
            int read = 0;
            while (orders.hasNext()) {
                if (++read > MAX_LISTED_ORDERS) {
                    log.warn("account {} has more than {} orders at {}; the rest are not read", account.accountUrl(),
                            MAX_LISTED_ORDERS, directoryUrl);
                    break;
                }
                Order order = orders.next();
                Status status = order.getStatus();
                if (status != Status.PENDING && status != Status.READY) {
                    continue;
                }
                Set<String> identifiers = lowerCase(order.getIdentifiers().stream().map(i -> i.getValue()).toList());
                if (!identifiers.equals(wanted)) {
                    continue;
                }
                open.add(new PlacedOrder(new OrderHandle(account, order.getLocation().toURI()),
                        OrderState.of(map(status)), challengesOf(order)));
            }
            log.info("{} open order(s) for {} found at {}", open.size(), domains, directoryUrl);
            return Optional.of(open);
        } catch (CaRefusedException e) {
            throw e;
        } catch (AcmeException | RuntimeException | URISyntaxException e) {
            throw AcmeErrors.translate("list orders", e);
        }
    }

    private static final int MAX_LISTED_ORDERS = 1000;

    private static Set<String> lowerCase(List<String> domains) {
        Set<String> set = new TreeSet<>();
        domains.forEach(d -> set.add(d.toLowerCase(Locale.ROOT)));
        return set;
    }

    @Override
    public void triggerChallenges(OrderHandle order, List<DnsChallenge> challenges) throws CaException {
        try {
            Login login = login(session(), order.account());
            for (DnsChallenge dns : challenges) {
                Challenge challenge = login.bindChallenge(url(dns.challengeUrl()));
                if (challenge.getStatus() == Status.PENDING) {
                    challenge.trigger();
                    log.debug("triggered challenge {} for {}", dns.challengeUrl(), dns.domain());
                }
            }
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("trigger challenges", e);
        }
    }

    @Override
    public OrderState poll(OrderHandle handle) throws CaException {
        try {
            Login login = login(session(), handle.account());
            Order order = login.bindOrder(url(handle.orderUrl()));
            Instant retryAfter = order.fetch().orElse(null);
            OrderStatus status = map(order.getStatus());
            CaProblem problem = null;
            if (status == OrderStatus.INVALID) {
                problem = authorizationProblem(order)
                        .or(() -> order.getError().map(AcmeErrors::problem))
                        .orElseGet(() -> new CaProblem(AcmeErrors.CERTFLOW_PREFIX + "order-invalid",
                                "the CA marked the order invalid"));
            }
            return new OrderState(status, retryAfter, problem);
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("poll order", e);
        }
    }

    @Override
    public void finalizeOrder(OrderHandle handle, byte[] csrDer) throws CaException {
        try {
            Login login = login(session(), handle.account());
            Order order = login.bindOrder(url(handle.orderUrl()));
            order.execute(csrDer);
            log.info("ACME order {} finalized", handle.orderUrl());
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("finalize order", e);
        }
    }

    @Override
    public String downloadCertificate(OrderHandle handle) throws CaException {
        try {
            Login login = login(session(), handle.account());
            Order order = login.bindOrder(url(handle.orderUrl()));
            order.fetch();
            org.shredzone.acme4j.Certificate certificate = order.getCertificate();
            certificate.download();
            if (options.preferredChain() != null) {
                certificate = PreferredChain.choose(certificate, options.preferredChain());
            }
            StringWriter pem = new StringWriter();
            certificate.writeCertificate(pem);
            return pem.toString();
        } catch (AcmeException | RuntimeException | IOException e) {
            throw AcmeErrors.translate("download certificate", e);
        }
    }

    @Override
    public void revoke(CaAccount account, String certificatePem, RevocationReason reason) throws CaException {
        try {
            Login login = login(session(), account);
            X509Certificate leaf = leafOf(certificatePem);
            org.shredzone.acme4j.Certificate.revoke(login, leaf,
                    org.shredzone.acme4j.RevocationReason.code(reason.code()));
            log.info("certificate {} revoked at {} ({})", leaf.getSerialNumber().toString(16), directoryUrl, reason.rfcName());
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("revoke certificate", e);
        }
    }

    /** {@code profile} when the CA's directory offers it; otherwise a final refusal naming it and what is offered. */
    private String offeredProfile(Session session, String profile) throws AcmeException, CaRefusedException {
        org.shredzone.acme4j.Metadata metadata = session.getMetadata();
        if (!metadata.isProfileAllowed(profile)) {
            Set<String> offered = metadata.getProfiles();
            throw new CaRefusedException(new CaProblem(AcmeErrors.CERTFLOW_PREFIX + "acme-profile-not-offered",
                    "the CA at " + directoryUrl + " offers no ACME profile '" + profile + "' ("
                            + (offered.isEmpty() ? "its directory lists no profiles" : "it offers " + new TreeSet<>(offered))
                            + ")"), false);
        }
        return profile;
    }

    /** The problem of the first failed authorization (naming its domain), if one failed. */
    private Optional<CaProblem> authorizationProblem(Order order) {
        try {
            for (Authorization authorization : order.getAuthorizations()) {
                if (authorization.getStatus() != Status.INVALID) {
                    continue;
                }
                String domain = authorization.getIdentifier().getDomain();
                for (Challenge challenge : authorization.getChallenges()) {
                    Optional<Problem> error = challenge.getError();
                    if (error.isPresent()) {
                        CaProblem p = AcmeErrors.problem(error.get());
                        return Optional.of(new CaProblem(p.type(), domain + ": " + p.detail()));
                    }
                }
                return Optional.of(new CaProblem(AcmeErrors.CERTFLOW_PREFIX + "authorization-invalid",
                        "authorization for " + domain + " is invalid"));
            }
        } catch (RuntimeException e) {
            log.debug("could not read the authorizations of invalid order {}", order.getLocation(), e);
        }
        return Optional.empty();
    }

    /** This thread's session with the CA (see the class comment). */
    private Session session() {
        return sessions.get();
    }

    private Session createSession() {
        Session session = sslContext == null && !isHttp(directoryUrl)
                ? new Session(directoryUrl)
                : new Session(directoryUrl, sslContext == null ? new org.shredzone.acme4j.provider.GenericAcmeProvider()
                        : new ProfileAcmeProvider(sslContext));
        session.networkSettings().setTimeout(requestTimeout);
        return session;
    }

    private static boolean isHttp(URI uri) {
        return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
    }

    private static Login login(Session session, CaAccount account) {
        return session.login(url(account.accountUrl()), account.keyPair());
    }

    private static URL url(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
    }

    private static X509Certificate leafOf(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the replaced certificate is not PEM", e);
        }
    }

    private static OrderStatus map(Status status) {
        return switch (status) {
            case PENDING -> OrderStatus.PENDING;
            case READY -> OrderStatus.READY;
            case PROCESSING -> OrderStatus.PROCESSING;
            case VALID -> OrderStatus.VALID;
            default -> OrderStatus.INVALID;
        };
    }

    /** The directory's {@code meta.caaIdentities}, read once (directories rarely change) and then kept. */
    @Override
    public List<String> caaIdentities() throws CaException {
        List<String> known = caaIdentities;
        if (known != null) {
            return known;
        }
        try {
            known = List.copyOf(session().getMetadata().getCaaIdentities());
        } catch (AcmeException | RuntimeException e) {
            throw AcmeErrors.translate("read the directory's CAA identities", e);
        }
        caaIdentities = known;
        return known;
    }

    /** RFC 9773 renewal information on this profile's sessions (same trust and timeout as every request). */
    @Override
    public io.certflow.issuance.ca.RenewalInformation renewalInformation() {
        return new AcmeRenewalInformation(this::session);
    }

    @Override
    public String toString() {
        return "AcmeCertificateAuthority[" + directoryUrl + (sslContext == null ? "" : ", profile trust")
                + (options.externalAccountBinding() == null ? "" : ", " + options.externalAccountBinding())
                + (options.preferredChain() == null ? "" : ", preferred chain " + options.preferredChain())
                + (options.acmeProfile() == null ? "" : ", ACME profile " + options.acmeProfile()) + "]";
    }
}
