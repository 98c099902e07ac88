package io.certflow.deployment.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays issuance-service's internal bundle endpoint
 * ({@code GET /internal/v1/certificates/{certificateId}/versions/{serialNumber}/bundle}) on a loopback port,
 * with the internal-token check, serving bundles a test put in.
 */
public final class FakeIssuanceService implements AutoCloseable {

    private static final Pattern PATH =
            Pattern.compile("/internal/v1/certificates/([^/]+)/versions/([^/]+)/bundle");

    private final HttpServer server;
    private final String token;
    private final Map<String, TestCertificates.Issued> bundles = new ConcurrentHashMap<>();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile String lastCaller;

    public FakeIssuanceService(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
                lastCaller = exchange.getRequestHeaders().getFirst("X-Caller");
                if (!token.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                    rejected.incrementAndGet();
                    respond(exchange, 401, "{\"status\":401,\"detail\":\"A valid X-Internal-Token header is required.\"}");
                    return;
                }
                TestCertificates.Issued issued = m.matches() && "GET".equals(exchange.getRequestMethod())
                        ? bundles.get(m.group(1) + "/" + m.group(2)) : null;
                if (issued == null) {
                    respond(exchange, 404, "{\"status\":404}");
                    return;
                }
                served.incrementAndGet();
                respond(exchange, 200, "{\"certificateId\":" + quote(m.group(1)) + ",\"serialNumber\":" + quote(m.group(2))
                        + ",\"certificateChainPem\":" + quote(issued.chainPem())
                        + ",\"privateKeyPem\":" + quote(issued.keyPem()) + "}");
            }
        });
        server.start();
    }

    /** The {@code X-Caller} header of the last request (issuance-service's audit log names the caller by it). */
    public String lastCaller() {
        return lastCaller;
    }

    /** Makes a version available. */
    public void put(String certificateId, TestCertificates.Issued issued) {
        put(certificateId, issued.serialHex(), issued);
    }

    /** Serves {@code issued} under {@code serialNumber} (a broken issuance-service, when they differ). */
    public void put(String certificateId, String serialNumber, TestCertificates.Issued issued) {
        bundles.put(certificateId + "/" + serialNumber, issued);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Bundles handed out. */
    public int served() {
        return served.get();
    }

    /** Requests without the right token. */
    public int rejected() {
        return rejected.get();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
