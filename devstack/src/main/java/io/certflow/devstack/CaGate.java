package io.certflow.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test-side TLS front for Pebble that counts ACME requests per endpoint and can hold one request (before it
 * reaches Pebble) or its response (after Pebble answered, before the client gets it) until the test releases
 * or drops it: so a test can count the orders a service created and kill the service exactly between two steps.
 *
 * <p>It forwards every request unchanged, {@code Host} header included, over a fresh TLS connection to Pebble.
 * Pebble 2.4 builds every URL it returns from the request's {@code Host} (and TLS) and checks each JWS
 * {@code url} against {@code https://<Host><request URI>}, so URLs signed for the gate are valid at Pebble
 * and the URLs Pebble returns point at the gate: no rewriting. The gate has its own certificate for
 * {@code localhost} (a fresh CA per gate, {@link #trustedCertificate()}); the client trusts that PEM.
 *
 * <pre>{@code
 * try (CaGate gate = CaGate.start(pebble.port(), pebble.sslContext(), dir)) {
 *     // issuance-service: ca.directory-url = gate.directoryUrl(), ca.trusted-certificate = gate.trustedCertificate()
 *     CaGate.Hold hold = gate.hold(CaGate.Endpoint.NEW_ORDER, CaGate.Phase.RESPONSE, CaGate.identifiers(domains));
 *     hold.awaitArrived(Duration.ofSeconds(60)); // Pebble created the order; the service waits for the answer
 *     service.kill();
 *     hold.drop();
 *     assertThat(gate.createdOrders(domains)).isEqualTo(1);
 * }
 * }</pre>
 */
public final class CaGate implements AutoCloseable {

    /** The ACME endpoints of Pebble 2.4, by path. */
    public enum Endpoint {
        DIRECTORY("/dir"), NONCE("/nonce-plz"), NEW_ACCOUNT("/sign-me-up"), ACCOUNT("/my-account/"),
        NEW_ORDER("/order-plz"), ORDER("/my-order/"), FINALIZE("/finalize-order/"), AUTHORIZATION("/authZ/"),
        CHALLENGE("/chalZ/"), CERTIFICATE("/certZ/"), REVOKE("/revoke-cert"), KEY_CHANGE("/rollover-account-key"),
        ORDERS_LIST("/list-orderz/"), OTHER("");

        private final String pathPrefix;

        Endpoint(String pathPrefix) {
            this.pathPrefix = pathPrefix;
        }

        /** The endpoint a request path belongs to. */
        public static Endpoint of(String path) {
            for (Endpoint e : values()) {
                if (e != OTHER && path.startsWith(e.pathPrefix)) {
                    return e;
                }
            }
            return OTHER;
        }
    }

    /** Where a held exchange stops: before Pebble sees the request, or after Pebble answered. */
    public enum Phase { REQUEST, RESPONSE }

    /**
     * One request as the gate saw it.
     *
     * @param method      HTTP method
     * @param endpoint    the ACME endpoint
     * @param path        the request URI
     * @param payload     the decoded JWS payload of a POST (empty for POST-as-GET), or null
     * @param identifiers the identifier values of a new-order payload, else empty
     * @param status      Pebble's status code, or -1 when the request never reached Pebble
     * @param location    Pebble's {@code Location} header, or null
     * @param at          when the request arrived
     */
    public record Exchange(String method, Endpoint endpoint, String path, String payload, Set<String> identifiers,
                           int status, String location, Instant at) {

        /** A POST that is not a POST-as-GET (it changes something at the CA). */
        public boolean isChange() {
            return "POST".equals(method) && payload != null && !payload.isEmpty();
        }
    }

    /** A predicate on an exchange: a new-order (or any request) whose identifiers are exactly {@code domains}. */
    public static Predicate<Exchange> identifiers(Collection<String> domains) {
        Set<String> wanted = lower(domains);
        return e -> e.identifiers().equals(wanted);
    }

    /** A predicate on an exchange: any request whose path starts with {@code prefix}. */
    public static Predicate<Exchange> pathStartsWith(String prefix) {
        return e -> e.path().startsWith(prefix);
    }

    /** A predicate on an exchange: a POST with a non-empty payload (not a POST-as-GET). */
    public static Predicate<Exchange> changing() {
        return Exchange::isChange;
    }

    /** One held exchange, taken by the first request that matches; released or dropped by the test. */
    public final class Hold {
        private final Endpoint endpoint;
        private final Phase phase;
        private final Predicate<Exchange> matching;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch decided = new CountDownLatch(1);
        private volatile boolean drop;
        private volatile Exchange exchange;
        private volatile boolean taken;

        private Hold(Endpoint endpoint, Phase phase, Predicate<Exchange> matching) {
            this.endpoint = endpoint;
            this.phase = phase;
            this.matching = matching;
        }

        /** Waits until a matching request is held; fails with what the gate saw when none came. */
        public Exchange awaitArrived(Duration timeout) {
            try {
                if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("no " + endpoint + " request was held (" + phase + ") within " + timeout
                            + "; the gate saw " + exchanges().stream().map(e -> e.method() + " " + e.path() + " "
                            + e.status()).toList());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevstackException("interrupted", e);
            }
            return exchange;
        }

        /** Whether a request is held now. */
        public boolean isHeld() {
            return arrived.getCount() == 0 && decided.getCount() == 1;
        }

        /** Lets the held exchange continue (to Pebble, or its answer to the client). */
        public void release() {
            holds.remove(this);
            decided.countDown();
        }

        /** Ends the held exchange without an answer: the client's connection is closed. */
        public void drop() {
            drop = true;
            release();
        }

        private boolean matches(Endpoint e, Phase p, Exchange x) {
            return !taken && e == endpoint && p == phase && matching.test(x);
        }

        /** Blocks the exchange's thread until the test decides; true when it is to be dropped. */
        private boolean holdHere(Exchange x) {
            exchange = x;
            arrived.countDown();
            try {
                decided.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            return drop;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "proxy-connection", "upgrade", "te", "trailer");

    private final HttpsServer server;
    private final ExecutorService executor;
    private final int upstreamPort;
    private final SSLContext upstreamTls;
    private final Path trustedCertificate;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean unreachable;

    private CaGate(HttpsServer server, ExecutorService executor, int upstreamPort, SSLContext upstreamTls,
                   Path trustedCertificate) {
        this.server = server;
        this.executor = executor;
        this.upstreamPort = upstreamPort;
        this.upstreamTls = upstreamTls;
        this.trustedCertificate = trustedCertificate;
    }

    /**
     * Starts a gate on a free loopback port in front of Pebble's ACME listener.
     *
     * @param pebblePort the port of Pebble's ACME listener (on 127.0.0.1, certificate for {@code localhost})
     * @param pebbleTls  an SSLContext that trusts Pebble's listener ({@link PebbleProcess#sslContext()})
     * @param dir        where the gate writes the PEM of its own CA ({@link #trustedCertificate()})
     */
    public static CaGate start(int pebblePort, SSLContext pebbleTls, Path dir) {
        try {
            Pki.Issued ca = Pki.newCa("certflow CA gate " + System.nanoTime(), Duration.ofDays(2));
            Pki.Issued leaf = Pki.newServerCertificate(ca, List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(2));
            Path pem = dir.resolve("ca-gate-trust.pem");
            Pki.writePem(pem, ca.certificate());
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "gate".toCharArray();
            keys.setKeyEntry("gate", leaf.privateKey(), password, new Certificate[] {leaf.certificate(), ca.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "ca-gate");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            CaGate gate = new CaGate(server, executor, pebblePort, pebbleTls, pem);
            server.createContext("/", gate::handle);
            server.start();
            return gate;
        } catch (IOException | GeneralSecurityException e) {
            throw new DevstackException("cannot start the CA gate: " + e.getMessage(), e);
        }
    }

    /** The gate's port on 127.0.0.1. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://localhost:<port>/dir}: the ACME directory through the gate. */
    public String directoryUrl() {
        return "https://localhost:" + port() + "/dir";
    }

    /** The PEM of the CA that signed the gate's certificate: what the ACME client trusts. */
    public Path trustedCertificate() {
        return trustedCertificate;
    }

    /** Holds the next exchange of {@code endpoint} at {@code phase}. */
    public Hold hold(Endpoint endpoint, Phase phase) {
        return hold(endpoint, phase, e -> true);
    }

    /** Holds the next exchange of {@code endpoint} at {@code phase} that matches. */
    public Hold hold(Endpoint endpoint, Phase phase, Predicate<Exchange> matching) {
        Hold hold = new Hold(endpoint, phase, matching);
        holds.add(hold);
        return hold;
    }

    /** Every exchange so far, in arrival order (an exchange is recorded once Pebble answered or it was dropped). */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** How many POSTs reached {@code endpoint} (whatever Pebble answered). */
    public long posts(Endpoint endpoint) {
        return exchanges.stream().filter(e -> e.endpoint() == endpoint && "POST".equals(e.method())).count();
    }

    /** How many orders Pebble created (new-order answered 201), for any identifiers. */
    public long createdOrders() {
        return exchanges.stream().filter(e -> e.endpoint() == Endpoint.NEW_ORDER && e.status() == 201).count();
    }

    /** How many orders Pebble created (new-order answered 201) for exactly these identifiers. */
    public long createdOrders(Collection<String> domains) {
        Set<String> wanted = lower(domains);
        return exchanges.stream().filter(e -> e.endpoint() == Endpoint.NEW_ORDER && e.status() == 201
                && e.identifiers().equals(wanted)).count();
    }

    /** The order URLs Pebble created for exactly these identifiers. */
    public List<String> createdOrderUrls(Collection<String> domains) {
        Set<String> wanted = lower(domains);
        return exchanges.stream().filter(e -> e.endpoint() == Endpoint.NEW_ORDER && e.status() == 201
                && e.identifiers().equals(wanted)).map(Exchange::location).toList();
    }

    /**
     * Makes the CA unreachable: from now on every request is dropped before it reaches Pebble (the connection is
     * closed without an answer, as a dead CA or a broken network does), until {@link #reachable()}.
     */
    public void unreachable() {
        unreachable = true;
    }

    /** Ends {@link #unreachable()}: requests reach Pebble again. */
    public void reachable() {
        unreachable = false;
    }

    /** Whether requests are being dropped ({@link #unreachable()}). */
    public boolean isUnreachable() {
        return unreachable;
    }

    /** How many requests were dropped because the CA was unreachable. */
    public long refusedRequests() {
        return refused.get();
    }

    /** Releases every hold (held or not yet taken) and stops the listener. */
    @Override
    public void close() {
        for (Hold h : List.copyOf(holds)) {
            h.drop();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- forwarding ------------------------------------------------------------------------

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            byte[] body = http.getRequestBody().readAllBytes();
            String method = http.getRequestMethod();
            String uri = http.getRequestURI().toString();
            Endpoint endpoint = Endpoint.of(http.getRequestURI().getRawPath());
            String payload = "POST".equals(method) ? payloadOf(body) : null;
            Set<String> identifiers = endpoint == Endpoint.NEW_ORDER ? identifiersOf(payload) : Set.of();
            Instant at = Instant.now();
            Exchange request = new Exchange(method, endpoint, uri, payload, identifiers, -1, null, at);
            if (unreachable) {
                refused.incrementAndGet();
                exchanges.add(request);
                return; // closing the exchange without an answer closes the connection
            }
            if (holdAt(endpoint, Phase.REQUEST, request)) {
                exchanges.add(request);
                return; // dropped before Pebble saw it: closing the exchange closes the connection
            }
            Upstream answer;
            try {
                answer = forward(http, method, uri, body);
            } catch (IOException e) {
                exchanges.add(request);
                http.sendResponseHeaders(502, -1);
                return;
            }
            Exchange done = new Exchange(method, endpoint, uri, payload, identifiers, answer.status,
                    answer.header("location"), at);
            exchanges.add(done);
            if (holdAt(endpoint, Phase.RESPONSE, done)) {
                return;
            }
            for (String[] h : answer.headers) {
                if (!HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT))) {
                    http.getResponseHeaders().add(h[0], h[1]);
                }
            }
            boolean noBody = "HEAD".equals(method) || answer.body.length == 0 || answer.status == 204
                    || answer.status == 304;
            http.sendResponseHeaders(answer.status, noBody ? -1 : answer.body.length);
            if (!noBody) {
                try (OutputStream out = http.getResponseBody()) {
                    out.write(answer.body);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away (killed while its request was held): nothing to answer
        }
    }

    /** True when a hold took the exchange and the test dropped it. */
    private boolean holdAt(Endpoint endpoint, Phase phase, Exchange exchange) {
        Hold taken = null;
        synchronized (holds) {
            for (Hold h : holds) {
                if (h.matches(endpoint, phase, exchange)) {
                    holds.remove(h);
                    taken = h;
                    h.taken = true;
                    break;
                }
            }
        }
        return taken != null && taken.holdHere(exchange);
    }

    private record Upstream(int status, List<String[]> headers, byte[] body) {
        String header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }
    }

    /** One HTTP/1.1 exchange with Pebble on a fresh TLS connection ({@code Connection: close}). */
    private Upstream forward(HttpExchange http, String method, String uri, byte[] body) throws IOException {
        try (SSLSocket socket = (SSLSocket) upstreamTls.getSocketFactory().createSocket("localhost", upstreamPort)) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(uri).append(" HTTP/1.1\r\n");
            http.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
                }
            });
            if (body.length > 0 || "POST".equals(method)) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream(), "HEAD".equals(method));
        }
    }

    private static Upstream parse(InputStream in, boolean head) throws IOException {
        byte[] all = in.readAllBytes();
        int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IOException("no HTTP response from Pebble");
        }
        String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        boolean chunked = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("transfer-encoding")
                && h[1].toLowerCase(Locale.ROOT).contains("chunked"));
        byte[] body = head ? new byte[0] : chunked ? dechunk(rest) : rest;
        return new Upstream(status, headers, body);
    }

    private static byte[] dechunk(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < data.length) {
            int lineEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (lineEnd < 0) {
                throw new IOException("bad chunked body from Pebble");
            }
            String sizeLine = new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(data, lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The decoded JWS payload of a flattened-JSON JWS body ("" for POST-as-GET), or null when unreadable. */
    static String payloadOf(byte[] body) {
        try {
            JsonNode jws = JSON.readTree(body);
            JsonNode payload = jws == null ? null : jws.get("payload");
            if (payload == null || !payload.isTextual()) {
                return null;
            }
            return new String(Base64.getUrlDecoder().decode(payload.asText()), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The identifier values of a new-order payload. */
    static Set<String> identifiersOf(String payload) {
        Set<String> values = new TreeSet<>();
        if (payload == null || payload.isEmpty()) {
            return values;
        }
        try {
            JsonNode identifiers = JSON.readTree(payload).path("identifiers");
            identifiers.forEach(i -> values.add(i.path("value").asText().toLowerCase(Locale.ROOT)));
        } catch (IOException e) {
            // not JSON: no identifiers
        }
        return Set.copyOf(values);
    }

    private static Set<String> lower(Collection<String> domains) {
        Set<String> values = new TreeSet<>();
        domains.forEach(d -> values.add(d.toLowerCase(Locale.ROOT)));
        return Set.copyOf(values);
    }
}
