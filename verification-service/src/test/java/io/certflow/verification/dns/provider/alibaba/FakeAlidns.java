package io.certflow.verification.dns.provider.alibaba;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Alibaba Cloud DNS (Alidns RPC API 2015-01-09) on a loopback port, holding domains and records in memory, that
 * checks every request as Alibaba documents it: a GET on {@code /}, the common parameters (Version, Format,
 * AccessKeyId, SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, SignatureNonce, Timestamp, Signature), the
 * signature recomputed from the known secret (independently of the adapter's code), a {@code SignatureNonce}
 * used once, a {@code Timestamp} within 15 minutes, the action names and each action's parameter names. Errors
 * come in Alibaba's JSON shape ({@code RequestId}, {@code HostId}, {@code Code}, {@code Message}) with the
 * documented HTTP status. Stricter than Alibaba in one way: an unknown parameter name is refused, so that a
 * misspelt parameter cannot pass unnoticed.
 */
final class FakeAlidns implements AutoCloseable {

    static final String KEY_ID = "LTAI5tCertflowFull01";
    static final String READ_ONLY_KEY_ID = "LTAI5tCertflowRead01";
    private static final String API_NOT_FOUND = "Specified api is not found, please check your url and method.";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
    private static final List<String> COMMON = List.of("Action", "Version", "Format", "AccessKeyId",
            "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Signature");
    private static final Map<String, Set<String>> REQUIRED = Map.of(
            "DescribeDomains", Set.of(),
            "DescribeSubDomainRecords", Set.of("SubDomain"),
            "AddDomainRecord", Set.of("DomainName", "RR", "Type", "Value"),
            "DeleteDomainRecord", Set.of("RecordId"));
    private static final Map<String, Set<String>> OPTIONAL = Map.of(
            "DescribeDomains", Set.of("Lang", "PageNumber", "PageSize", "KeyWord", "GroupId", "SearchMode",
                    "ResourceGroupId", "Starmark"),
            "DescribeSubDomainRecords", Set.of("Lang", "UserClientIp", "PageNumber", "PageSize", "Type", "Line",
                    "DomainName"),
            "AddDomainRecord", Set.of("Lang", "UserClientIp", "TTL", "Priority", "Line"),
            "DeleteDomainRecord", Set.of("Lang", "UserClientIp"));
    private static final Set<String> WRITES = Set.of("AddDomainRecord", "DeleteDomainRecord");

    private final String secret = randomSecret();
    private final String readOnlySecret = randomSecret();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ObjectMapper json = new ObjectMapper();
    private final Set<String> domains = new HashSet<>();
    private final List<Rec> records = new ArrayList<>();
    private final Set<String> nonces = new HashSet<>();
    private final AtomicLong nextId = new AtomicLong(100_000);
    private final AtomicInteger throttled = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hanging;
    private volatile String lastQuery;

    FakeAlidns() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String secret() {
        return secret;
    }

    String readOnlySecret() {
        return readOnlySecret;
    }

    /** The account holds {@code domain} (e.g. {@code example.com}). */
    synchronized void holdDomain(String domain) {
        domains.add(domain.toLowerCase(Locale.ROOT));
    }

    /** A TXT record put there by someone else. */
    synchronized void addTxt(String domain, String rr, String value) {
        records.add(new Rec(String.valueOf(nextId.incrementAndGet()), domain, rr, "TXT", value, 600));
    }

    /** The TXT values of {@code rr} in {@code domain}. */
    synchronized List<String> txt(String domain, String rr) {
        return records.stream().filter(r -> r.domain.equals(domain) && r.rr.equalsIgnoreCase(rr))
                .map(r -> r.value).toList();
    }

    /** The TXT records of the whole account, as {@code rr.domain=value}. */
    synchronized List<String> allTxt() {
        return records.stream().map(r -> ("@".equals(r.rr) ? "" : r.rr + ".") + r.domain + "=" + r.value).toList();
    }

    synchronized List<Integer> ttls() {
        return records.stream().map(r -> r.ttl).toList();
    }

    /** The next {@code n} requests are throttled. */
    void throttleNext(int n) {
        throttled.set(n);
    }

    /** Requests get no answer until {@link #close()}. */
    void hang() {
        hanging = true;
    }

    /** The raw query of the last request that was accepted. */
    String lastQuery() {
        return lastQuery;
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
            answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            error(exchange, 400, "UnsupportedHTTPMethod", "This http method is not supported.");
            return;
        }
        if (!exchange.getRequestURI().getRawPath().equals("/")) {
            error(exchange, 404, "InvalidApi.NotFound", API_NOT_FOUND);
            return;
        }
        Map<String, String> p = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (p.put(name, value) != null) {
                error(exchange, 400, "InvalidParameter", "The parameter " + name + " is given twice.");
                return;
            }
        }
        for (String name : COMMON) {
            if (!p.containsKey(name) || p.get(name).isEmpty()) {
                error(exchange, 400, "Missing" + name, name + " is mandatory for this action.");
                return;
            }
        }
        if (!p.get("Format").equals("JSON")) {
            error(exchange, 400, "InvalidParameter.Format", "This fake answers Format=JSON only.");
            return;
        }
        if (!p.get("SignatureMethod").equals("HMAC-SHA1")) {
            error(exchange, 400, "InvalidSignatureMethod", "Specified signature method is not valid.");
            return;
        }
        if (!p.get("SignatureVersion").equals("1.0")) {
            error(exchange, 400, "InvalidSignatureVersion", "Specified signature version is not valid.");
            return;
        }
        Instant timestamp;
        try {
            timestamp = LocalDateTime.parse(p.get("Timestamp"), TIMESTAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            error(exchange, 400, "InvalidTimeStamp.Format",
                    "Specified time stamp or date value is not well formatted.");
            return;
        }
        if (Duration.between(timestamp, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            error(exchange, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
            return;
        }
        String keySecret = KEY_ID.equals(p.get("AccessKeyId")) ? secret
                : READ_ONLY_KEY_ID.equals(p.get("AccessKeyId")) ? readOnlySecret : null;
        if (keySecret == null) {
            error(exchange, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
            return;
        }
        Map<String, String> signed = new TreeMap<>(p);
        signed.remove("Signature");
        String stringToSign = stringToSign(signed);
        if (!hmacSha1(keySecret + "&", stringToSign).equals(p.get("Signature"))) {
            error(exchange, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
                    + " server string to sign is:" + stringToSign);
            return;
        }
        synchronized (this) {
            if (!nonces.add(p.get("SignatureNonce"))) {
                error(exchange, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
                return;
            }
        }
        if (!p.get("Version").equals(AlidnsClient.API_VERSION)) {
            error(exchange, 400, "InvalidVersion", "Specified parameter Version is not valid.");
            return;
        }
        String action = p.get("Action");
        if (!REQUIRED.containsKey(action)) {
            error(exchange, 404, "InvalidAction.NotFound", API_NOT_FOUND);
            return;
        }
        for (String name : p.keySet()) {
            if (!COMMON.contains(name) && !REQUIRED.get(action).contains(name)
                    && !OPTIONAL.get(action).contains(name)) {
                error(exchange, 400, "InvalidParameter", "The parameter " + name + " is not a parameter of "
                        + action + ".");
                return;
            }
        }
        for (String name : REQUIRED.get(action)) {
            if (!p.containsKey(name) || p.get(name).isEmpty()) {
                error(exchange, 400, "Missing" + name, name + " is mandatory for this action.");
                return;
            }
        }
        if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(exchange, 400, "Throttling.User", "Request was denied due to user flow control.");
            return;
        }
        if (WRITES.contains(action) && READ_ONLY_KEY_ID.equals(p.get("AccessKeyId"))) {
            error(exchange, 403, "Forbidden.RAM",
                    "User not authorized to operate on the specified resource, or this API doesn't support RAM.");
            return;
        }
        lastQuery = raw;
        synchronized (this) {
            switch (action) {
                case "DescribeDomains" -> describeDomains(exchange, p);
                case "DescribeSubDomainRecords" -> describeSubDomainRecords(exchange, p);
                case "AddDomainRecord" -> addDomainRecord(exchange, p);
                default -> deleteDomainRecord(exchange, p);
            }
        }
    }

    private void describeDomains(HttpExchange exchange, Map<String, String> p) throws IOException {
        String keyWord = p.getOrDefault("KeyWord", "").toLowerCase(Locale.ROOT);
        boolean exact = "EXACT".equals(p.get("SearchMode"));
        List<Map<String, Object>> found = domains.stream().sorted()
                .filter(d -> exact ? d.equals(keyWord) : d.contains(keyWord))
                .map(d -> Map.<String, Object>of("DomainName", d, "PunyCode", d,
                        "DomainId", UUID.nameUUIDFromBytes(d.getBytes(StandardCharsets.UTF_8)).toString()))
                .toList();
        int size = Integer.parseInt(p.getOrDefault("PageSize", "20"));
        int page = Integer.parseInt(p.getOrDefault("PageNumber", "1"));
        List<Map<String, Object>> onPage = found.stream().skip((long) (page - 1) * size).limit(size).toList();
        ok(exchange, Map.of("TotalCount", found.size(), "PageNumber", page, "PageSize", size,
                "Domains", Map.of("Domain", onPage)));
    }

    private void describeSubDomainRecords(HttpExchange exchange, Map<String, String> p) throws IOException {
        String subDomain = p.get("SubDomain").toLowerCase(Locale.ROOT);
        // As documented: without DomainName, the domain is taken to be the last two labels of SubDomain.
        String domain = p.containsKey("DomainName") ? p.get("DomainName").toLowerCase(Locale.ROOT)
                : lastTwoLabels(subDomain);
        if (!domains.contains(domain)) {
            error(exchange, 400, "IncorrectDomainUser", "The domain name does not belong to this user.");
            return;
        }
        if (!subDomain.equals(domain) && !subDomain.endsWith("." + domain)) {
            error(exchange, 400, "InvalidParameter", "SubDomain " + subDomain + " is not in " + domain + ".");
            return;
        }
        int size = Integer.parseInt(p.getOrDefault("PageSize", "20"));
        if (size < 1 || size > 100) {
            error(exchange, 400, "InvalidPageSize", "PageSize must be between 1 and 100.");
            return;
        }
        int page = Integer.parseInt(p.getOrDefault("PageNumber", "1"));
        String rr = subDomain.equals(domain) ? "@" : subDomain.substring(0, subDomain.length() - domain.length() - 1);
        List<Rec> found = records.stream().filter(r -> r.domain.equals(domain) && r.rr.equalsIgnoreCase(rr)
                && (!p.containsKey("Type") || r.type.equalsIgnoreCase(p.get("Type")))).toList();
        List<Map<String, Object>> onPage = found.stream().skip((long) (page - 1) * size).limit(size)
                .map(r -> Map.<String, Object>of("RecordId", r.id, "DomainName", r.domain, "RR", r.rr, "Type", r.type,
                        "Value", r.value, "TTL", r.ttl, "Line", "default", "Status", "ENABLE", "Locked", false))
                .toList();
        ok(exchange, Map.of("TotalCount", found.size(), "PageNumber", page, "PageSize", size,
                "DomainRecords", Map.of("Record", onPage)));
    }

    private void addDomainRecord(HttpExchange exchange, Map<String, String> p) throws IOException {
        String domain = p.get("DomainName").toLowerCase(Locale.ROOT);
        if (!domains.contains(domain)) {
            error(exchange, 400, "IncorrectDomainUser", "The domain name does not belong to this user.");
            return;
        }
        int ttl = Integer.parseInt(p.getOrDefault("TTL", "600"));
        if (ttl < 600 || ttl > 86400) {
            error(exchange, 400, "InvalidParameter", "TTL " + ttl
                    + " is outside 600..86400 (the free edition's range).");
            return;
        }
        boolean duplicate = records.stream().anyMatch(r -> r.domain.equals(domain) && r.rr.equalsIgnoreCase(p.get("RR"))
                && r.type.equalsIgnoreCase(p.get("Type")) && r.value.equals(p.get("Value")));
        if (duplicate) {
            error(exchange, 400, "DomainRecordDuplicate", "The DNS record already exists.");
            return;
        }
        Rec rec = new Rec(String.valueOf(nextId.incrementAndGet()), domain, p.get("RR"), p.get("Type"),
                p.get("Value"), ttl);
        records.add(rec);
        ok(exchange, Map.of("RecordId", rec.id));
    }

    private void deleteDomainRecord(HttpExchange exchange, Map<String, String> p) throws IOException {
        if (!records.removeIf(r -> r.id.equals(p.get("RecordId")))) {
            error(exchange, 400, "DomainRecordNotBelongToUser", "The DNS record does not belong to you.");
            return;
        }
        ok(exchange, Map.of("RecordId", p.get("RecordId")));
    }

    private void ok(HttpExchange exchange, Map<String, Object> body) throws IOException {
        Map<String, Object> answer = new HashMap<>(body);
        answer.put("RequestId", UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
        send(exchange, 200, answer);
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        send(exchange, status, Map.of("RequestId", UUID.randomUUID().toString().toUpperCase(Locale.ROOT),
                "HostId", "alidns.aliyuncs.com", "Code", code, "Message", message,
                "Recommend", "https://api.aliyun.com/troubleshoot?q=" + code));
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The documented string to sign, built the documented alternative way: the JDK's form encoding, then fixed up. */
    private static String stringToSign(Map<String, String> sorted) {
        String canonical = sorted.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return "GET&" + encode("/") + "&" + encode(canonical);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String hmacSha1(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lastTwoLabels(String name) {
        String[] labels = name.split("\\.");
        return labels.length < 2 ? name : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    private static String randomSecret() {
        byte[] raw = new byte[22];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private record Rec(String id, String domain, String rr, String type, String value, int ttl) {
    }
}
