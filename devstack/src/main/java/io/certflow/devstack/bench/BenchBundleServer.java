package io.certflow.devstack.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.certflow.devstack.DevstackException;

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
 * issuance-service's internal bundle endpoint as {@code ./certflow bench deploy} plays it, the way
 * deployment-service's tests do ({@code FakeIssuanceService}):
 * {@code GET /internal/v1/certificates/{certificateId}/versions/{serialNumber}/bundle} with the
 * {@code X-Internal-Token} check, answering {@code certificateChainPem} and {@code privateKeyPem} of the versions
 * the benchmark made. Stands in for the real issuance-service so that the benchmark needs no CA, no verification
 * and no issuance: it measures deployment only.
 */
final class BenchBundleServer implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("/internal/v1/certificates/([^/]+)/versions/([^/]+)/bundle");

    private final HttpServer server;
    private final Map<String, Map<String, String>> bundles = new ConcurrentHashMap<>();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();

    BenchBundleServer(int port, String internalToken) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new DevstackException("bench deploy: cannot serve the bundle endpoint on port " + port + ": "
                    + e.getMessage(), e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!internalToken.equals(exchange.getRequestHeaders().getFirst("X-Internal-Token"))) {
                    refused.incrementAndGet();
                    respond(exchange, 401, Map.of("status", 401));
                    return;
                }
                Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
                Map<String, String> bundle = m.matches() && "GET".equals(exchange.getRequestMethod())
                        ? bundles.get(m.group(1) + "/" + m.group(2)) : null;
                if (bundle == null) {
                    respond(exchange, 404, Map.of("status", 404));
                    return;
                }
                served.incrementAndGet();
                respond(exchange, 200, bundle);
            }
        });
        server.start();
    }

    /** Makes a version's chain and key available. */
    void put(String certificateId, String serialNumber, String chainPem, String keyPem) {
        bundles.put(certificateId + "/" + serialNumber, Map.of("certificateId", certificateId, "serialNumber",
                serialNumber, "certificateChainPem", chainPem, "privateKeyPem", keyPem));
    }

    /** Bundles handed out. */
    int served() {
        return served.get();
    }

    /** Requests without the right token. */
    int refused() {
        return refused.get();
    }

    private void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
