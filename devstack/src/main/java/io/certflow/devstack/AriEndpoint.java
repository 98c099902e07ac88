package io.certflow.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * An ACME directory in front of devstack's Pebble that adds RFC 9773 renewal information, which Pebble 2.4
 * lacks. Its {@code /dir} is Pebble's own directory plus {@code "renewalInfo": "<this endpoint>/renewal-info"};
 * since Pebble's directory URLs are absolute, accounts, orders, challenges and certificates stay real Pebble.
 *
 * <p>{@code GET /renewal-info/<certID>} answers as RFC 9773 §4.2 documents: {@code 200} with
 * {@code {"suggestedWindow":{"start","end"},"explanationURL"}} and a {@code Retry-After} (seconds), for a
 * certificate Pebble issued (looked up by serial on Pebble's management interface, and the certID must be
 * exactly that certificate's: base64url, unpadded, of its Authority Key Identifier's keyIdentifier, a dot,
 * base64url of the DER integer bytes of its serial, §4.1); {@code 400} with an ACME {@code malformed}
 * problem for a certID of another form; {@code 404} for a certificate Pebble never issued.
 *
 * <p>The window of a certificate is the last one set with {@link #suggest}, else a default: the last
 * third of its lifetime minus the last sixth (for Pebble's 200-day certificates, days 133 to 167).
 * Exists so that issuance tests (and system tests) exercise ARI against a real CA.
 */
public final class AriEndpoint implements AutoCloseable {

    /** Where the default window points for an explanation. */
    public static final String DEFAULT_EXPLANATION_URL = "https://pebble.certflow.test/docs/ari";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CERT_ID = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final PebbleProcess pebble;
    private final HttpServer server;
    private final HttpClient client;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final AtomicReference<Duration> retryAfter = new AtomicReference<>(Duration.ofHours(6));

    /**
     * A suggested window.
     *
     * @param start          its start
     * @param end            its end
     * @param explanationUrl the page explaining it, or null
     */
    public record Window(Instant start, Instant end, String explanationUrl) {
    }

    private AriEndpoint(PebbleProcess pebble) throws IOException {
        this.pebble = pebble;
        this.client = HttpClient.newBuilder().sslContext(pebble.sslContext()).connectTimeout(Duration.ofSeconds(3)).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/dir", this::directory);
        server.createContext("/renewal-info", this::renewalInfo);
        server.start();
    }

    /** Starts the endpoint on a free loopback port in front of a running {@code pebble}. */
    public static AriEndpoint start(PebbleProcess pebble) {
        try {
            return new AriEndpoint(pebble);
        } catch (IOException e) {
            throw new DevstackException("cannot start the ARI endpoint: " + e.getMessage(), e);
        }
    }

    /** The directory to configure as the CA profile's {@code directory-url} (plain HTTP on loopback). */
    public String directoryUrl() {
        return base() + "/dir";
    }

    /** The {@code renewalInfo} URL the directory names. */
    public String renewalInfoUrl() {
        return base() + "/renewal-info";
    }

    /** From now on, suggest this window for the certificate with serial {@code serialHex} (lower-case hex). */
    public void suggest(String serialHex, Instant start, Instant end, String explanationUrl) {
        windows.put(normal(serialHex), new Window(start, end, explanationUrl));
    }

    /** The {@code Retry-After} of every answer from now on (default 6 hours, RFC 9773's example). */
    public void retryAfter(Duration duration) {
        retryAfter.set(duration);
    }

    /** How many windows were served for the certificate with serial {@code serialHex}. */
    public int answered(String serialHex) {
        AtomicInteger n = answered.get(normal(serialHex));
        return n == null ? 0 : n.get();
    }

    /** The RFC 9773 §4.1 certID of a certificate. */
    public static String certId(X509Certificate certificate) {
        try {
            X509CertificateHolder holder = new X509CertificateHolder(certificate.getEncoded());
            AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(holder.getExtensions());
            if (aki == null || aki.getKeyIdentifier() == null) {
                throw new IllegalArgumentException("the certificate has no authority key identifier");
            }
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return b64.encodeToString(aki.getKeyIdentifier()) + "." + b64.encodeToString(certificate.getSerialNumber().toByteArray());
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate", e);
        }
    }

    private void directory(HttpExchange exchange) throws IOException {
        try (exchange) {
            ObjectNode directory = (ObjectNode) JSON.readTree(pebble.directoryJson());
            directory.put("renewalInfo", renewalInfoUrl());
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(directory), null);
        } catch (RuntimeException e) {
            send(exchange, 502, "text/plain", ("Pebble's directory: " + e.getMessage()).getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private void renewalInfo(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", new byte[0], null);
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String certId = path.substring(Math.min(path.length(), "/renewal-info/".length()));
            Optional<String> serialHex = serialOf(certId);
            if (serialHex.isEmpty()) {
                problem(exchange, 400, "malformed", "certID must be base64url(AKI keyIdentifier) \".\" "
                        + "base64url(serial DER integer), unpadded (RFC 9773 §4.1): " + certId);
                return;
            }
            Optional<X509Certificate> issued = issuedBySerial(serialHex.get());
            if (issued.isEmpty() || !certId(issued.get()).equals(certId)) {
                problem(exchange, 404, "malformed", "Certificate not found: " + certId);
                return;
            }
            Window window = windows.getOrDefault(serialHex.get(), defaultWindow(issued.get()));
            ObjectNode body = JSON.createObjectNode();
            body.putObject("suggestedWindow").put("start", window.start().toString()).put("end", window.end().toString());
            if (window.explanationUrl() != null) {
                body.put("explanationURL", window.explanationUrl());
            }
            answered.computeIfAbsent(serialHex.get(), k -> new AtomicInteger()).incrementAndGet();
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(body),
                    String.valueOf(retryAfter.get().toSeconds()));
        }
    }

    /** The serial (lower-case hex) of a well-formed certID, or empty. */
    static Optional<String> serialOf(String certId) {
        if (!CERT_ID.matcher(certId).matches()) {
            return Optional.empty();
        }
        String[] parts = certId.split("\\.");
        byte[] keyId = Base64.getUrlDecoder().decode(parts[0]);
        byte[] serial = Base64.getUrlDecoder().decode(parts[1]);
        if (keyId.length == 0 || serial.length == 0 || (serial[0] & 0x80) != 0
                || serial.length > 1 && serial[0] == 0 && (serial[1] & 0x80) == 0) {
            return Optional.empty(); // a serial is a positive, minimally encoded DER integer
        }
        return Optional.of(new java.math.BigInteger(1, serial).toString(16));
    }

    private Optional<X509Certificate> issuedBySerial(String serialHex) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create(pebble.managementUrl() + "/cert-status-by-serial/" + serialHex))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode status = JSON.readTree(r.body());
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(status.get("Certificate").asText().getBytes(StandardCharsets.US_ASCII))));
        } catch (IOException | CertificateException e) {
            throw new DevstackException("Pebble's management interface: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevstackException("interrupted", e);
        }
    }

    private static Window defaultWindow(X509Certificate certificate) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant());
        return new Window(notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)),
                notBefore.plus(lifetime.multipliedBy(5).dividedBy(6)), DEFAULT_EXPLANATION_URL);
    }

    private static void problem(HttpExchange exchange, int status, String type, String detail) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("type", "urn:ietf:params:acme:error:" + type).put("detail", detail)
                .put("status", status);
        send(exchange, status, "application/problem+json", JSON.writeValueAsBytes(body), null);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, String retryAfter)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "public, max-age=0, no-cache");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String normal(String serialHex) {
        return new java.math.BigInteger(serialHex, 16).toString(16);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
