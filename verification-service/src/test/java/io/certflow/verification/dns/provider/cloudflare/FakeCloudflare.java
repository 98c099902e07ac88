package io.certflow.verification.dns.provider.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloudflare's API v4 on a loopback port ({@code /client/v4}), holding zones and DNS records in memory, that
 * checks every request as Cloudflare documents it: {@code Authorization: Bearer <token>}, the path shapes of
 * zones and DNS records, the query parameters, {@code Content-Type: application/json} and the JSON fields of a
 * new record (type, name in the zone, content, ttl 1 or 60..86400); it answers in the v4 envelope
 * ({@code success}, {@code errors[]}, {@code messages[]}, {@code result}, {@code result_info}). Stricter than
 * Cloudflare in one way: unknown query parameters and body fields are refused, so that a misspelt one cannot
 * pass unnoticed.
 */
final class FakeCloudflare implements AutoCloseable {

    private static final Pattern ZONES = Pattern.compile("/client/v4/zones");
    private static final Pattern RECORDS = Pattern.compile("/client/v4/zones/([0-9a-f]{32})/dns_records");
    private static final Pattern RECORD = Pattern.compile("/client/v4/zones/([0-9a-f]{32})/dns_records/([0-9a-f]{32})");
    private static final Set<String> ZONE_QUERY = Set.of("name", "status", "page", "per_page", "order", "direction",
            "match", "account.id", "account.name");
    private static final Set<String> RECORD_QUERY = Set.of("type", "name", "content", "page", "per_page", "order",
            "direction", "match", "proxied", "comment", "tag");
    private static final Set<String> RECORD_FIELDS = Set.of("type", "name", "content", "ttl", "proxied", "comment",
            "tags", "settings", "priority");

    private final String token = randomHex(20);
    private final String readOnlyToken = randomHex(20);
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> zones = new LinkedHashMap<>(); // id -> name
    private final List<Rec> records = new ArrayList<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hanging;
    private volatile Canned canned;

    FakeCloudflare() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4");
    }

    /** A token with Zone:Read and DNS:Edit. */
    String token() {
        return token;
    }

    /** A token with Zone:Read and DNS:Read only. */
    String readOnlyToken() {
        return readOnlyToken;
    }

    synchronized String addZone(String name) {
        String id = randomHex(16);
        zones.put(id, name);
        return id;
    }

    /** A TXT record put there by someone else, its content as given (quoted or not). */
    synchronized void addTxt(String zone, String name, String content) {
        records.add(new Rec(randomHex(16), zoneId(zone), "TXT", name, content, 1));
    }

    /** The TXT contents at {@code name} in {@code zone}, as stored. */
    synchronized List<String> txt(String zone, String name) {
        String id = zoneId(zone);
        return records.stream().filter(r -> r.zoneId.equals(id) && r.name.equalsIgnoreCase(name)).map(r -> r.content)
                .toList();
    }

    synchronized List<Integer> ttls() {
        return records.stream().map(r -> r.ttl).toList();
    }

    synchronized int recordCount() {
        return records.size();
    }

    void throttleNext(int n) {
        throttled.set(n);
    }

    void hang() {
        hanging = true;
    }

    /** The next request is answered with this status, content type and body, whatever it asks. */
    void answerNextWith(int status, String contentType, String body) {
        canned = new Canned(status, contentType, body);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (hanging) {
                released.await(30, TimeUnit.SECONDS);
                return;
            }
            Canned c = canned;
            if (c != null) {
                canned = null;
                byte[] bytes = c.body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", c.contentType);
                exchange.sendResponseHeaders(c.status, bytes.length);
                exchange.getResponseBody().write(bytes);
                return;
            }
            answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            error(exchange, 400, 6003, "Invalid request headers");
            return;
        }
        String presented = authorization.substring("Bearer ".length());
        if (!presented.equals(token) && !presented.equals(readOnlyToken)) {
            error(exchange, 403, 9109, "Invalid access token");
            return;
        }
        if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.getResponseHeaders().set("Retry-After", "30");
            error(exchange, 429, 971, "Please wait and consider throttling your request speed");
            return;
        }
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Matcher m;
        synchronized (this) {
            if (ZONES.matcher(path).matches() && method.equals("GET")) {
                if (checkQuery(exchange, query, ZONE_QUERY)) {
                    listZones(exchange, query);
                }
            } else if ((m = RECORDS.matcher(path)).matches() && zones.containsKey(m.group(1))) {
                if (method.equals("GET")) {
                    if (checkQuery(exchange, query, RECORD_QUERY)) {
                        listRecords(exchange, m.group(1), query);
                    }
                } else if (method.equals("POST")) {
                    if (writable(exchange, presented)) {
                        createRecord(exchange, m.group(1));
                    }
                } else {
                    error(exchange, 405, 10405, "Method " + method + " not allowed");
                }
            } else if ((m = RECORD.matcher(path)).matches() && zones.containsKey(m.group(1))) {
                if (!method.equals("DELETE")) {
                    error(exchange, 405, 10405, "Method " + method + " not allowed");
                } else if (writable(exchange, presented)) {
                    String zoneId = m.group(1);
                    String id = m.group(2);
                    if (records.removeIf(r -> r.id.equals(id) && r.zoneId.equals(zoneId))) {
                        ok(exchange, 200, Map.of("id", id), null, List.of());
                    } else {
                        error(exchange, 404, 81044, "Record does not exist.");
                    }
                }
            } else {
                error(exchange, 400, 7003, "Could not route to " + path
                        + ", perhaps your object identifier is invalid?");
            }
        }
    }

    private void listZones(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<Map<String, Object>> found = zones.entrySet().stream()
                .filter(z -> !query.containsKey("name") || z.getValue().equalsIgnoreCase(query.get("name")))
                .map(z -> Map.<String, Object>of("id", z.getKey(), "name", z.getValue(), "status", "active"))
                .toList();
        page(exchange, found, query);
    }

    private void listRecords(HttpExchange exchange, String zoneId, Map<String, String> query) throws IOException {
        List<Map<String, Object>> found = records.stream().filter(r -> r.zoneId.equals(zoneId))
                .filter(r -> !query.containsKey("type") || r.type.equalsIgnoreCase(query.get("type")))
                .filter(r -> !query.containsKey("name") || r.name.equalsIgnoreCase(query.get("name")))
                .filter(r -> !query.containsKey("content") || r.content.equals(query.get("content")))
                .map(r -> view(r, zones.get(zoneId))).toList();
        page(exchange, found, query);
    }

    private void createRecord(HttpExchange exchange, String zoneId) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            error(exchange, 400, 6003, "Invalid request headers: Content-Type must be application/json");
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            error(exchange, 400, 9207, "Request body is invalid.");
            return;
        }
        if (body == null || !body.isObject()) {
            error(exchange, 400, 9207, "Request body is invalid.");
            return;
        }
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!RECORD_FIELDS.contains(field)) {
                error(exchange, 400, 9207, "Unknown field " + field + ".");
                return;
            }
        }
        String zone = zones.get(zoneId);
        String type = body.path("type").asText("");
        String name = body.path("name").asText("").toLowerCase(Locale.ROOT);
        String content = body.path("content").asText("");
        int ttl = body.path("ttl").asInt(1);
        if (!type.equals("TXT") || content.isEmpty()) {
            error(exchange, 400, 9005, "Content for TXT record is invalid.");
            return;
        }
        if (!name.equals(zone) && !name.endsWith("." + zone)) {
            error(exchange, 400, 1004, "DNS Validation Error: name is not in zone " + zone + ".");
            return;
        }
        if (ttl != 1 && (ttl < 60 || ttl > 86400)) {
            error(exchange, 400, 9003, "Invalid 'ttl' setting: must be 1 (automatic) or between 60 and 86400.");
            return;
        }
        if (records.stream().anyMatch(r -> r.zoneId.equals(zoneId) && r.type.equals(type) && r.name.equals(name)
                && r.content.equals(content))) {
            error(exchange, 400, 81058, "An identical record already exists.");
            return;
        }
        Rec rec = new Rec(randomHex(16), zoneId, type, name, content, ttl);
        records.add(rec);
        List<Map<String, Object>> messages = content.startsWith("\"") ? List.of()
                : List.of(Map.of("code", 1000, "message", "content should be wrapped in quotes"));
        ok(exchange, 200, view(rec, zone), null, messages);
    }

    private boolean writable(HttpExchange exchange, String presented) throws IOException {
        if (presented.equals(token)) {
            return true;
        }
        error(exchange, 403, 10000, "Authentication error");
        return false;
    }

    private boolean checkQuery(HttpExchange exchange, Map<String, String> query, Set<String> allowed)
            throws IOException {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                error(exchange, 400, 1001, "Unknown query parameter " + name + ".");
                return false;
            }
        }
        return true;
    }

    private void page(HttpExchange exchange, List<Map<String, Object>> all, Map<String, String> query)
            throws IOException {
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "20"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<Map<String, Object>> onPage = all.stream().skip((long) (page - 1) * perPage).limit(perPage).toList();
        int totalPages = Math.max(1, (all.size() + perPage - 1) / perPage);
        ok(exchange, 200, onPage, Map.of("page", page, "per_page", perPage, "count", onPage.size(),
                "total_count", all.size(), "total_pages", totalPages), List.of());
    }

    private static Map<String, Object> view(Rec r, String zone) {
        return Map.of("id", r.id, "zone_id", r.zoneId, "zone_name", zone, "type", r.type, "name", r.name,
                "content", r.content, "ttl", r.ttl, "proxied", false, "proxiable", false);
    }

    private void ok(HttpExchange exchange, int status, Object result, Object resultInfo, List<?> messages)
            throws IOException {
        Map<String, Object> envelope = new HashMap<>();
        envelope.put("success", true);
        envelope.put("errors", List.of());
        envelope.put("messages", messages);
        envelope.put("result", result);
        if (resultInfo != null) {
            envelope.put("result_info", resultInfo);
        }
        send(exchange, status, envelope);
    }

    private void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        Map<String, Object> envelope = new HashMap<>();
        envelope.put("success", false);
        envelope.put("errors", List.of(Map.of("code", code, "message", message)));
        envelope.put("messages", List.of());
        envelope.put("result", null);
        send(exchange, status, envelope);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String zoneId(String zone) {
        return zones.entrySet().stream().filter(e -> e.getValue().equals(zone)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no zone " + zone));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static String randomHex(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    private record Rec(String id, String zoneId, String type, String name, String content, int ttl) {
    }

    private record Canned(int status, String contentType, String body) {
    }
}
