package io.certflow.deployment.target.alibaba;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.certflow.deployment.target.PemCertificates;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Plays the Alibaba Cloud endpoints the Alibaba targets call (CDN 2018-05-10, CAS 2020-04-07, SLB 2014-05-15) on a
 * loopback port, and checks every request as Alibaba documents it before it answers: an RPC-style {@code POST /}
 * with the parameters in the query, the {@code x-acs-*} headers, {@code x-acs-content-sha256} of the body, a fresh
 * date and nonce, the Action's Version, its required parameters, and the ACS3-HMAC-SHA256 signature recomputed by the
 * test's own {@link Acs3Signature}. A request that fails a check is answered with Alibaba's error (and counted in
 * {@link #rejected()}), so a wrong signature fails the test that made it.
 *
 * <p>It keeps state like the cloud: CDN domains and their HTTPS certificate, CAS certificates with their PEM, load
 * balancers with listeners, SLB server certificates with their PEM. Faults are scripted per action.
 */
final class FakeAlibabaCloud implements AutoCloseable {

    /** A CDN domain's HTTPS state. */
    static final class CdnDomain {
        volatile String sslProtocol = "off";
        volatile String certType;
        volatile String certId;
        volatile String certName;
        volatile String pem;
    }

    /** A certificate in CAS or in SLB's store. */
    record StoredCertificate(String id, String name, String pem, String key) {
        X509Certificate leaf() {
            return PemCertificates.parseChain(pem).get(0);
        }

        String serial() {
            return PemCertificates.serialHex(leaf());
        }
    }

    /** A load balancer: name and its listeners (port → protocol, server certificate id). */
    static final class LoadBalancer {
        final String name;
        final Map<Integer, String[]> listeners = new ConcurrentHashMap<>();

        LoadBalancer(String name) {
            this.name = name;
        }
    }

    /** One request as received (parameters without the key material). */
    record Call(String action, String accessKeyId, Map<String, String> parameters) {
    }

    /** An answer scripted for an action, used {@code times} times. */
    private record Fault(int status, String code, String message) {
    }

    private static final Map<String, String> VERSIONS = Map.ofEntries(
            Map.entry("DescribeUserDomains", "2018-05-10"), Map.entry("DescribeDomainCertificateInfo", "2018-05-10"),
            Map.entry("SetCdnDomainSSLCertificate", "2018-05-10"),
            Map.entry("DescribeDcdnUserDomains", "2018-01-15"), Map.entry("DescribeDcdnDomainCertificateInfo", "2018-01-15"),
            Map.entry("SetDcdnDomainSSLCertificate", "2018-01-15"),
            Map.entry("UploadUserCertificate", "2020-04-07"), Map.entry("DeleteUserCertificate", "2020-04-07"),
            Map.entry("ListUserCertificateOrder", "2020-04-07"), Map.entry("GetUserCertificateDetail", "2020-04-07"),
            Map.entry("ListListeners", "2020-06-16"), Map.entry("ListListenerCertificates", "2020-06-16"),
            Map.entry("UpdateListenerAttribute", "2020-06-16"),
            Map.entry("DescribeLoadBalancers", "2014-05-15"), Map.entry("DescribeLoadBalancerAttribute", "2014-05-15"),
            Map.entry("DescribeLoadBalancerHTTPSListenerAttribute", "2014-05-15"),
            Map.entry("SetLoadBalancerHTTPSListenerAttribute", "2014-05-15"),
            Map.entry("UploadServerCertificate", "2014-05-15"), Map.entry("DescribeServerCertificates", "2014-05-15"),
            Map.entry("DeleteServerCertificate", "2014-05-15"),
            Map.entry("DescribeInstance", "2021-10-01"), Map.entry("DescribeDomains", "2021-10-01"),
            Map.entry("DescribeDomainDetail", "2021-10-01"), Map.entry("ModifyDomain", "2021-10-01"));
    private static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("DescribeDomainCertificateInfo", List.of("DomainName")),
            Map.entry("SetCdnDomainSSLCertificate", List.of("DomainName", "SSLProtocol")),
            Map.entry("DescribeDcdnDomainCertificateInfo", List.of("DomainName")),
            Map.entry("SetDcdnDomainSSLCertificate", List.of("DomainName", "SSLProtocol")),
            Map.entry("UploadUserCertificate", List.of("Name", "Cert", "Key")),
            Map.entry("DeleteUserCertificate", List.of("CertId")),
            Map.entry("GetUserCertificateDetail", List.of("CertId")),
            Map.entry("ListListenerCertificates", List.of("ListenerId")),
            Map.entry("UpdateListenerAttribute", List.of("ListenerId")),
            Map.entry("DescribeLoadBalancers", List.of("RegionId")),
            Map.entry("DescribeLoadBalancerAttribute", List.of("LoadBalancerId")),
            Map.entry("DescribeLoadBalancerHTTPSListenerAttribute", List.of("LoadBalancerId", "ListenerPort")),
            Map.entry("SetLoadBalancerHTTPSListenerAttribute", List.of("LoadBalancerId", "ListenerPort")),
            Map.entry("UploadServerCertificate", List.of("RegionId", "ServerCertificate", "PrivateKey")),
            Map.entry("DescribeServerCertificates", List.of("RegionId")),
            Map.entry("DeleteServerCertificate", List.of("RegionId", "ServerCertificateId")),
            Map.entry("DescribeInstance", List.of("RegionId")),
            Map.entry("DescribeDomains", List.of("InstanceId", "RegionId")),
            Map.entry("DescribeDomainDetail", List.of("InstanceId", "Domain", "RegionId")),
            Map.entry("ModifyDomain", List.of("InstanceId", "Domain", "Listen", "Redirect", "RegionId")));
    private static final Set<String> SECRET_PARAMETERS = Set.of("Key", "PrivateKey", "SSLPri");

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> accessKeys = new ConcurrentHashMap<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();
    private final Set<String> ignoredSets = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong(14_000_000);

    final Map<String, CdnDomain> domains = new ConcurrentHashMap<>();
    final Map<String, CdnDomain> dcdnDomains = new ConcurrentHashMap<>();
    final Map<String, StoredCertificate> cas = new ConcurrentHashMap<>();
    final Map<String, LoadBalancer> loadBalancers = new java.util.concurrent.ConcurrentSkipListMap<>();
    final Map<String, StoredCertificate> serverCertificates = new ConcurrentHashMap<>();
    final Map<String, AlbListener> albListeners = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** An ALB HTTPS listener: its default certificate ({@code <casId>-<region>}) and whether it is associated yet. */
    static final class AlbListener {
        final String loadBalancerId;
        final int port;
        volatile String certificateId;
        /** How many more listings show the certificate as Associating. */
        volatile int associating;

        AlbListener(String loadBalancerId, int port, String certificateId) {
            this.loadBalancerId = loadBalancerId;
            this.port = port;
            this.certificateId = certificateId;
        }
    }

    /** An ALB HTTPS listener using CAS certificate {@code casId}. */
    void albListener(String listenerId, String loadBalancerId, int port, String casId) {
        albListeners.put(listenerId, new AlbListener(loadBalancerId, port, casId + "-cn-hangzhou"));
    }

    /** The serial (from CAS's PEM) of the ALB listener's default certificate. */
    String albSerial(String listenerId) {
        String id = albListeners.get(listenerId).certificateId;
        StoredCertificate c = cas.get(id.substring(0, id.indexOf('-')));
        return c == null ? null : c.serial();
    }

    /** OSS, on the same port (told apart by its own signature scheme). */
    final FakeOss oss = new FakeOss(accessKeys, cas, rejected);

    /** The WAF 3.0 instance of the account ({@code DescribeInstance}), or null for none. */
    volatile String wafInstanceId = "waf_v3prepaid_public_cn-fake0001";
    /** WAF domains: {@code Listen} and {@code Redirect} as DescribeDomainDetail shows them. */
    final Map<String, WafDomain> wafDomains = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** A WAF domain's configuration. */
    static final class WafDomain {
        volatile Map<String, Object> listen;
        volatile Map<String, Object> redirect;

        WafDomain(Map<String, Object> listen, Map<String, Object> redirect) {
            this.listen = listen;
            this.redirect = redirect;
        }
    }

    /** A WAF domain serving HTTPS on 443 with CAS certificate {@code casId} (null: an HTTP-only domain). */
    void wafDomain(String domain, String casId) {
        Map<String, Object> listen = new LinkedHashMap<>();
        listen.put("HttpPorts", List.of(80));
        listen.put("HttpsPorts", casId == null ? List.of() : List.of(443));
        if (casId != null) {
            listen.put("CertId", casId + "-cn-hangzhou");
        }
        listen.put("TLSVersion", "tlsv1.2");
        listen.put("EnableTLSv3", true);
        listen.put("Http2Enabled", true);
        Map<String, Object> redirect = new LinkedHashMap<>();
        redirect.put("Backends", List.of(Map.of("Backend", "203.0.113.10"), Map.of("Backend", "203.0.113.11")));
        redirect.put("Loadbalance", "iphash");
        redirect.put("ReadTimeout", 120);
        redirect.put("RequestHeaders", List.of(Map.of("Key", "X-Origin", "Value", "waf")));
        wafDomains.put(domain, new WafDomain(listen, redirect));
    }

    /** The serial (from CAS's PEM) of the certificate the WAF domain uses, or null. */
    String wafSerial(String domain) {
        Object id = wafDomains.get(domain).listen.get("CertId");
        if (id == null) {
            return null;
        }
        StoredCertificate c = cas.get(String.valueOf(id).substring(0, String.valueOf(id).indexOf('-')));
        return c == null ? null : c.serial();
    }

    FakeAlibabaCloud() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Where the SDK is pointed: {@code http://127.0.0.1:port}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An AccessKey pair the cloud accepts. */
    FakeAlibabaCloud accessKey(String id, String secret) {
        accessKeys.put(id, secret);
        return this;
    }

    /** The next {@code times} calls of {@code action} are answered with this error. */
    void fail(String action, int status, String code, String message, int times) {
        List<Fault> list = faults.computeIfAbsent(action, a -> new CopyOnWriteArrayList<>());
        for (int i = 0; i < times; i++) {
            list.add(new Fault(status, code, message));
        }
    }

    /** The next {@code times} calls of {@code action} are answered as usual (to script a fault for a later call). */
    void pass(String action, int times) {
        fail(action, 0, null, null, times);
    }

    /** SetCdnDomainSSLCertificate / SetLoadBalancerHTTPSListenerAttribute on this domain or listener answer success and change nothing. */
    void ignoreSets(String domainOrListener) {
        ignoredSets.add(domainOrListener);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).toList();
    }

    /** Requests refused by a check (signature, version, parameters): what went wrong with each. */
    List<String> rejected() {
        return List.copyOf(rejected);
    }

    // ---- state set-up

    CdnDomain domain(String name) {
        return domains.computeIfAbsent(name, n -> new CdnDomain());
    }

    /** Puts a certificate into CAS (as a person would have) and answers its id. */
    String casCertificate(String name, String pem, String key) {
        String id = String.valueOf(ids.incrementAndGet());
        cas.put(id, new StoredCertificate(id, name, pem, key));
        return id;
    }

    CdnDomain dcdnDomain(String name) {
        return dcdnDomains.computeIfAbsent(name, n -> new CdnDomain());
    }

    /** A DCDN domain serving the CAS certificate {@code id}. */
    void useCasOnDcdn(String domain, String id) {
        use(dcdnDomain(domain), id);
    }

    /** A domain serving the CAS certificate {@code id}. */
    void useCas(String domain, String id) {
        use(domain(domain), id);
    }

    private void use(CdnDomain d, String id) {
        StoredCertificate c = cas.get(id);
        d.sslProtocol = "on";
        d.certType = "cas";
        d.certId = id;
        d.certName = c.name();
        d.pem = c.pem();
    }

    String serverCertificate(String name, String pem, String key) {
        String id = "1231579085529123_" + Long.toHexString(ids.incrementAndGet());
        serverCertificates.put(id, new StoredCertificate(id, name, pem, key));
        return id;
    }

    /** A load balancer with listeners: {@code port, protocol, serverCertificateId} triples. */
    void loadBalancer(String id, String name, Object... listeners) {
        LoadBalancer lb = new LoadBalancer(name);
        for (int i = 0; i < listeners.length; i += 3) {
            lb.listeners.put((Integer) listeners[i], new String[]{(String) listeners[i + 1], (String) listeners[i + 2]});
        }
        loadBalancers.put(id, lb);
    }

    /** The serial of the certificate the DCDN domain serves now, or null. */
    String dcdnServedSerial(String domain) {
        return serial(dcdnDomains.get(domain));
    }

    /** The serial of the certificate the domain serves now, or null. */
    String servedSerial(String domain) {
        return serial(domains.get(domain));
    }

    private static String serial(CdnDomain d) {
        return d == null || d.pem == null || !"on".equals(d.sslProtocol) ? null
                : PemCertificates.serialHex(PemCertificates.parseChain(d.pem).get(0));
    }

    /** The serial of the certificate (from its stored PEM) the listener uses now. */
    String listenerSerial(String loadBalancerId, int port) {
        String id = loadBalancers.get(loadBalancerId).listeners.get(port)[1];
        StoredCertificate c = id == null ? null : serverCertificates.get(id);
        return c == null ? null : c.serial();
    }

    String listenerCertificateId(String loadBalancerId, int port) {
        return loadBalancers.get(loadBalancerId).listeners.get(port)[1];
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ---- the wire

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (FakeOss.claims(exchange)) {
                oss.handle(exchange, body);
                return;
            }
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            String action = header(exchange, "x-acs-action");
            String problem = check(exchange, query, body, action);
            if (problem != null) {
                return;
            }
            Map<String, String> visible = new TreeMap<>(query);
            SECRET_PARAMETERS.forEach(k -> visible.computeIfPresent(k, (key, v) -> "<" + v.length() + " chars>"));
            calls.add(new Call(action, accessKeyIdOf(header(exchange, "authorization")), visible));
            List<Fault> scripted = faults.get(action);
            if (scripted != null && !scripted.isEmpty()) {
                Fault fault = scripted.remove(0);
                if (fault.status() != 0) {
                    error(exchange, fault.status(), fault.code(), fault.message());
                    return;
                }
            }
            Object answer;
            try {
                answer = dispatch(action, query);
            } catch (CloudError e) {
                error(exchange, e.status, e.code, e.getMessage());
                return;
            }
            respond(exchange, 200, answer);
        } catch (RuntimeException e) {
            error(exchange, 500, "InternalError", "fake cloud failed: " + e);
        }
    }

    /** Null when the request is as Alibaba documents it; else the error has been sent. */
    private String check(HttpExchange exchange, Map<String, String> query, byte[] body, String action) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())) {
            return reject(exchange, 400, "UnsupportedHTTPMethod", "an RPC call is POST / (got "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ")");
        }
        for (String h : List.of("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                "x-acs-content-sha256", "authorization")) {
            if (header(exchange, h) == null) {
                return reject(exchange, 400, "MissingHeader", "header " + h + " is missing");
            }
        }
        if (!Acs3Signature.sha256Hex(body).equals(header(exchange, "x-acs-content-sha256"))) {
            return reject(exchange, 400, "InvalidParameter.ContentSha256", "x-acs-content-sha256 is not the body's hash");
        }
        Instant date;
        try {
            date = Instant.parse(header(exchange, "x-acs-date"));
        } catch (RuntimeException e) {
            return reject(exchange, 400, "InvalidTimeStamp.Format", "x-acs-date is not yyyy-MM-ddTHH:mm:ssZ");
        }
        if (Duration.between(date, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            return reject(exchange, 400, "InvalidTimeStamp.Expired", "x-acs-date is more than 15 minutes away");
        }
        if (!nonces.add(header(exchange, "x-acs-signature-nonce"))) {
            return reject(exchange, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        Map<String, String> auth = parseAuthorization(header(exchange, "authorization"));
        if (auth == null) {
            return reject(exchange, 400, "IncompleteSignature", "Authorization is not ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…");
        }
        String secret = accessKeys.get(auth.get("Credential"));
        if (secret == null) {
            return reject(exchange, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        List<String> signed = Arrays.asList(auth.get("SignedHeaders").split(";"));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            headers.put(name, h.getValue().get(0));
            boolean mustSign = name.startsWith("x-acs-") || name.equals("host") || name.equals("content-type");
            if (mustSign && !signed.contains(name)) {
                return reject(exchange, 400, "IncompleteSignature", "header " + name + " is not signed");
            }
        }
        if (!signed.stream().sorted().toList().equals(signed) || signed.stream().anyMatch(h -> !headers.containsKey(h))) {
            return reject(exchange, 400, "IncompleteSignature", "SignedHeaders are not the sent headers in order");
        }
        String canonical = Acs3Signature.canonicalRequest("POST", "/", query, headers, signed, Acs3Signature.sha256Hex(body));
        if (!Acs3Signature.signature(secret, canonical).equals(auth.get("Signature"))) {
            return reject(exchange, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
        }
        String version = VERSIONS.get(action);
        if (version == null) {
            return reject(exchange, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
        }
        if (!version.equals(header(exchange, "x-acs-version"))) {
            return reject(exchange, 400, "InvalidVersion", action + " is in API version " + version);
        }
        for (String required : REQUIRED.getOrDefault(action, List.of())) {
            if (query.get(required) == null || query.get(required).isEmpty()) {
                return reject(exchange, 400, "MissingParameter", "The input parameter \"" + required
                        + "\" that is mandatory for processing this request is not supplied.");
            }
        }
        return null;
    }

    private String reject(HttpExchange exchange, int status, String code, String message) throws IOException {
        rejected.add(code + ": " + message);
        error(exchange, status, code, message);
        return code;
    }

    private static Map<String, String> parseAuthorization(String authorization) {
        if (!authorization.startsWith(Acs3Signature.ALGORITHM + " ")) {
            return null;
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(Acs3Signature.ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return parts.keySet().containsAll(List.of("Credential", "SignedHeaders", "Signature")) ? parts : null;
    }

    private static String accessKeyIdOf(String authorization) {
        Map<String, String> parts = parseAuthorization(authorization);
        return parts == null ? null : parts.get("Credential");
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, value);
        }
        return query;
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        respond(exchange, status, Map.of("RequestId", "FAKE-" + ids.incrementAndGet(), "Code", code, "Message", message,
                "HostId", "fake.aliyuncs.com"));
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An error the cloud answers. */
    private static final class CloudError extends RuntimeException {
        final int status;
        final String code;

        CloudError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    // ---- the actions

    private Object dispatch(String action, Map<String, String> q) {
        return switch (action) {
            case "DescribeUserDomains" -> describeUserDomains(q, domains, "SslProtocol");
            case "DescribeDomainCertificateInfo" -> describeDomainCertificateInfo(q, domains, "ServerCertificateStatus",
                    "ServerCertificate");
            case "SetCdnDomainSSLCertificate" -> setCdnDomainSslCertificate(q, domains);
            case "DescribeDcdnUserDomains" -> describeUserDomains(q, dcdnDomains, "SSLProtocol");
            case "DescribeDcdnDomainCertificateInfo" -> describeDomainCertificateInfo(q, dcdnDomains, "SSLProtocol", "SSLPub");
            case "SetDcdnDomainSSLCertificate" -> setCdnDomainSslCertificate(q, dcdnDomains);
            case "UploadUserCertificate" -> uploadUserCertificate(q);
            case "DeleteUserCertificate" -> deleteUserCertificate(q);
            case "ListUserCertificateOrder" -> listUserCertificateOrder(q);
            case "GetUserCertificateDetail" -> getUserCertificateDetail(q);
            case "ListListeners" -> listListeners(q);
            case "ListListenerCertificates" -> listListenerCertificates(q);
            case "UpdateListenerAttribute" -> updateListenerAttribute(q);
            case "DescribeLoadBalancers" -> describeLoadBalancers(q);
            case "DescribeLoadBalancerAttribute" -> describeLoadBalancerAttribute(q);
            case "DescribeLoadBalancerHTTPSListenerAttribute" -> describeHttpsListener(q);
            case "SetLoadBalancerHTTPSListenerAttribute" -> setHttpsListener(q);
            case "UploadServerCertificate" -> uploadServerCertificate(q);
            case "DescribeServerCertificates" -> describeServerCertificates(q);
            case "DeleteServerCertificate" -> deleteServerCertificate(q);
            case "DescribeInstance" -> wafInstanceId == null ? ok() : ok("InstanceId", wafInstanceId, "Edition", "ultimate",
                    "RegionId", q.get("RegionId"), "Status", 1);
            case "DescribeDomains" -> describeWafDomains(q);
            case "DescribeDomainDetail" -> describeWafDomainDetail(q);
            case "ModifyDomain" -> modifyWafDomain(q);
            default -> throw new CloudError(404, "InvalidAction.NotFound", action);
        };
    }

    private static Map<String, Object> ok(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RequestId", "FAKE-OK");
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    private static int number(Map<String, String> q, String name, int fallback) {
        String v = q.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CloudError(400, "InvalidParameter", name + " is not a number");
        }
    }

    private static <T> List<T> page(List<T> all, int page, int size) {
        int from = Math.min(all.size(), (page - 1) * size);
        return all.subList(from, Math.min(all.size(), from + size));
    }

    private Object describeUserDomains(Map<String, String> q, Map<String, CdnDomain> domains, String sslField) {
        int page = number(q, "PageNumber", 1);
        int size = number(q, "PageSize", 20);
        if (size < 1 || size > 500) {
            throw new CloudError(400, "InvalidPageSize", "PageSize must be 1-500");
        }
        List<String> names = domains.keySet().stream().sorted().toList();
        List<Map<String, Object>> data = page(names, page, size).stream().map(n -> Map.<String, Object>of(
                "DomainName", n, "Cname", n + ".w.kunlunsl.com", "DomainStatus", "online", "CdnType", "web",
                sslField, domains.get(n).sslProtocol)).toList();
        return ok("Domains", Map.of("PageData", data), "TotalCount", names.size(), "PageNumber", page, "PageSize", size);
    }

    private static CdnDomain existingDomain(Map<String, String> q, Map<String, CdnDomain> domains) {
        CdnDomain d = domains.get(q.get("DomainName"));
        if (d == null) {
            throw new CloudError(404, "InvalidDomain.NotFound", "The domain does not exist.");
        }
        return d;
    }

    private Object describeDomainCertificateInfo(Map<String, String> q, Map<String, CdnDomain> domains, String statusField,
                                                 String pemField) {
        CdnDomain d = existingDomain(q, domains);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("DomainName", q.get("DomainName"));
        info.put(statusField, d.sslProtocol);
        info.put("Status", "success");
        if ("on".equals(d.sslProtocol) && d.pem != null) {
            X509Certificate leaf = PemCertificates.parseChain(d.pem).get(0);
            info.put("CertType", d.certType);
            info.put("CertId", d.certId == null ? "" : d.certId);
            info.put("CertName", d.certName);
            info.put(pemField, d.pem);
            info.put("CertExpireTime", leaf.getNotAfter().toInstant().toString());
            info.put("CertDomainName", leaf.getSubjectX500Principal().getName());
        }
        return ok("CertInfos", Map.of("CertInfo", List.of(info)));
    }

    private Object setCdnDomainSslCertificate(Map<String, String> q, Map<String, CdnDomain> domains) {
        String name = q.get("DomainName");
        CdnDomain d = existingDomain(q, domains);
        String protocol = q.get("SSLProtocol");
        if (!Set.of("on", "off").contains(protocol)) {
            throw new CloudError(400, "InvalidSSLProtocol.ValueNotSupported", "SSLProtocol must be on or off");
        }
        if ("off".equals(protocol)) {
            if (!ignoredSets.contains(name)) {
                d.sslProtocol = "off";
                d.pem = null;
                d.certId = null;
                d.certType = null;
                d.certName = null;
            }
            return ok();
        }
        String type = q.getOrDefault("CertType", "upload");
        String pem;
        String id = null;
        String certName = q.get("CertName");
        switch (type) {
            case "cas" -> {
                id = q.get("CertId");
                if (id == null || !cas.containsKey(id)) {
                    throw new CloudError(400, "InvalidCertificate.NotFound", "The certificate " + id + " does not exist in CAS.");
                }
                String region = q.getOrDefault("CertRegion", "cn-hangzhou");
                if (!Set.of("cn-hangzhou", "ap-southeast-1").contains(region)) {
                    throw new CloudError(400, "InvalidCertRegion", "CertRegion must be cn-hangzhou or ap-southeast-1");
                }
                pem = cas.get(id).pem();
                certName = cas.get(id).name();
            }
            case "upload" -> {
                if (q.get("SSLPub") == null || q.get("SSLPri") == null) {
                    throw new CloudError(400, "MissingParameter", "SSLPub and SSLPri are required for CertType upload");
                }
                pem = q.get("SSLPub");
            }
            default -> throw new CloudError(400, "InvalidCertType", "CertType " + type + " is not supported here");
        }
        if (!ignoredSets.contains(name)) {
            d.sslProtocol = "on";
            d.certType = type;
            d.certId = id;
            d.certName = certName;
            d.pem = pem;
        }
        return ok();
    }

    private Object uploadUserCertificate(Map<String, String> q) {
        String name = q.get("Name");
        if (cas.values().stream().anyMatch(c -> c.name().equals(name))) {
            throw new CloudError(400, "NameRepeat", "The certificate name already exists.");
        }
        checkPem(q.get("Cert"), q.get("Key"));
        String id = String.valueOf(ids.incrementAndGet());
        cas.put(id, new StoredCertificate(id, name, q.get("Cert"), q.get("Key")));
        return ok("CertId", Long.parseLong(id));
    }

    private static void checkPem(String chain, String key) {
        try {
            PemCertificates.parseChain(chain);
        } catch (IllegalArgumentException e) {
            throw new CloudError(400, "InvalidCertificate", "The certificate is not a PEM certificate.");
        }
        if (!key.contains("-----BEGIN") || !key.contains("PRIVATE KEY-----")) {
            throw new CloudError(400, "InvalidPrivateKey", "The private key is not a PEM private key.");
        }
    }

    private Object deleteUserCertificate(Map<String, String> q) {
        String id = q.get("CertId");
        if (cas.remove(id) == null) {
            throw new CloudError(400, "NotFound.Certificate", "The certificate does not exist.");
        }
        return ok();
    }

    private Object listUserCertificateOrder(Map<String, String> q) {
        int page = number(q, "CurrentPage", 1);
        int size = number(q, "ShowSize", 50);
        String keyword = q.get("Keyword");
        List<StoredCertificate> all = cas.values().stream()
                .filter(c -> keyword == null || c.name().contains(keyword)).sorted((a, b) -> a.id().compareTo(b.id())).toList();
        List<Map<String, Object>> list = page(all, page, size).stream().map(c -> Map.<String, Object>of(
                "CertificateId", Long.parseLong(c.id()), "Name", c.name(),
                "SerialNo", "00" + c.serial().toUpperCase(Locale.ROOT), "SourceType", "upload")).toList();
        return ok("CertificateOrderList", list, "TotalCount", all.size(), "CurrentPage", page, "ShowSize", size);
    }

    private Object getUserCertificateDetail(Map<String, String> q) {
        StoredCertificate c = cas.get(q.get("CertId"));
        if (c == null) {
            throw new CloudError(400, "NotFound.Certificate", "The certificate does not exist.");
        }
        X509Certificate leaf = c.leaf();
        Map<String, Object> body = new LinkedHashMap<>(ok("Id", Long.parseLong(c.id()), "Name", c.name(),
                "SerialNo", c.serial().toUpperCase(Locale.ROOT), "Common", commonName(leaf),
                "Sans", String.join(",", sans(leaf)),
                "EndDate", leaf.getNotAfter().toInstant().toString().substring(0, 10)));
        if (!"true".equals(q.get("CertFilter"))) {
            body.put("Cert", c.pem());
            body.put("Key", c.key());
        }
        return body;
    }

    private Object listListeners(Map<String, String> q) {
        String protocol = q.get("ListenerProtocol");
        int size = number(q, "MaxResults", 20);
        int from = q.get("NextToken") == null ? 0 : number(q, "NextToken", 0);
        List<String> ids = List.copyOf(albListeners.keySet());
        List<Map<String, Object>> page = page(ids, from / size + 1, size).stream().map(id -> Map.<String, Object>of(
                "ListenerId", id, "ListenerProtocol", "HTTPS", "ListenerPort", albListeners.get(id).port,
                "LoadBalancerId", albListeners.get(id).loadBalancerId, "ListenerStatus", "Running"))
                .filter(l -> protocol == null || protocol.equals(l.get("ListenerProtocol"))).toList();
        Map<String, Object> body = ok("Listeners", page, "MaxResults", size, "TotalCount", ids.size());
        if (from + size < ids.size()) {
            body.put("NextToken", String.valueOf(from + size));
        }
        return body;
    }

    private AlbListener existingAlbListener(Map<String, String> q) {
        AlbListener listener = albListeners.get(q.get("ListenerId"));
        if (listener == null) {
            throw new CloudError(400, "ResourceNotFound.Listener", "The specified resource " + q.get("ListenerId")
                    + " is not found.");
        }
        return listener;
    }

    private Object listListenerCertificates(Map<String, String> q) {
        AlbListener listener = existingAlbListener(q);
        String status = listener.associating > 0 ? "Associating" : "Associated";
        if (listener.associating > 0) {
            listener.associating--;
        }
        return ok("Certificates", List.of(Map.of("CertificateId", listener.certificateId, "IsDefault", true,
                "CertificateType", "Server", "Status", status)), "TotalCount", 1, "MaxResults", 20);
    }

    private Object updateListenerAttribute(Map<String, String> q) {
        AlbListener listener = existingAlbListener(q);
        String id = q.get("Certificates.1.CertificateId");
        if (id != null) {
            int dash = id.indexOf('-');
            if (dash < 0 || !cas.containsKey(id.substring(0, dash))
                    || !Set.of("cn-hangzhou", "ap-southeast-1").contains(id.substring(dash + 1))) {
                throw new CloudError(400, "ResourceNotFound.Certificate", "The specified certificate " + id + " is not found.");
            }
            if (!ignoredSets.contains(q.get("ListenerId"))) {
                listener.certificateId = id;
                listener.associating = 1;
            }
        }
        return ok("JobId", "job-" + ids.incrementAndGet());
    }

    private Object describeLoadBalancers(Map<String, String> q) {
        int page = number(q, "PageNumber", 1);
        int size = number(q, "PageSize", 10);
        if (size < 1 || size > 100) {
            throw new CloudError(400, "InvalidParameter.PageSize", "PageSize must be 1-100");
        }
        List<String> ids = List.copyOf(loadBalancers.keySet());
        List<Map<String, Object>> data = page(ids, page, size).stream().map(id -> Map.<String, Object>of(
                "LoadBalancerId", id, "LoadBalancerName", loadBalancers.get(id).name, "LoadBalancerStatus", "active",
                "Address", "192.0.2.10", "RegionId", q.get("RegionId"))).toList();
        return ok("LoadBalancers", Map.of("LoadBalancer", data), "TotalCount", ids.size(), "PageNumber", page,
                "PageSize", size);
    }

    private LoadBalancer existingLoadBalancer(Map<String, String> q) {
        LoadBalancer lb = loadBalancers.get(q.get("LoadBalancerId"));
        if (lb == null) {
            throw new CloudError(404, "InvalidLoadBalancerId.NotFound", "The specified LoadBalancerId does not exist.");
        }
        return lb;
    }

    private Object describeLoadBalancerAttribute(Map<String, String> q) {
        LoadBalancer lb = existingLoadBalancer(q);
        List<Map<String, Object>> listeners = lb.listeners.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> Map.<String, Object>of("ListenerPort", e.getKey(), "ListenerProtocol", e.getValue()[0])).toList();
        return ok("LoadBalancerId", q.get("LoadBalancerId"), "LoadBalancerName", lb.name,
                "ListenerPortsAndProtocol", Map.of("ListenerPortAndProtocol", listeners));
    }

    private String[] existingHttpsListener(Map<String, String> q) {
        LoadBalancer lb = existingLoadBalancer(q);
        String[] listener = lb.listeners.get(number(q, "ListenerPort", 0));
        if (listener == null || !"https".equals(listener[0])) {
            throw new CloudError(400, "ResourceNotFound.Listener", "The specified listener does not exist.");
        }
        return listener;
    }

    private Object describeHttpsListener(Map<String, String> q) {
        String[] listener = existingHttpsListener(q);
        return ok("ListenerPort", number(q, "ListenerPort", 0), "Status", "running", "ServerCertificateId", listener[1],
                "DomainExtensions", Map.of("DomainExtension", List.of()));
    }

    private Object setHttpsListener(Map<String, String> q) {
        String[] listener = existingHttpsListener(q);
        String id = q.get("ServerCertificateId");
        if (id != null) {
            if (!serverCertificates.containsKey(id)) {
                throw new CloudError(400, "ServerCertificateId.NotFound", "The specified ServerCertificateId does not exist.");
            }
            if (!ignoredSets.contains(q.get("LoadBalancerId") + ":" + q.get("ListenerPort"))) {
                listener[1] = id;
            }
        }
        return ok();
    }

    private Object uploadServerCertificate(Map<String, String> q) {
        checkPem(q.get("ServerCertificate"), q.get("PrivateKey"));
        String id = serverCertificate(q.getOrDefault("ServerCertificateName", "cert"), q.get("ServerCertificate"),
                q.get("PrivateKey"));
        return ok("ServerCertificateId", id, "ServerCertificateName", serverCertificates.get(id).name(),
                "Fingerprint", fingerprint(serverCertificates.get(id).leaf()), "RegionId", q.get("RegionId"));
    }

    private Object describeServerCertificates(Map<String, String> q) {
        String only = q.get("ServerCertificateId");
        List<Map<String, Object>> list = new ArrayList<>();
        for (StoredCertificate c : serverCertificates.values()) {
            if (only != null && !only.equals(c.id())) {
                continue;
            }
            X509Certificate leaf = c.leaf();
            list.add(Map.of("ServerCertificateId", c.id(), "ServerCertificateName", c.name(),
                    "Fingerprint", fingerprint(leaf), "CommonName", commonName(leaf),
                    "SubjectAlternativeNames", Map.of("SubjectAlternativeName", sans(leaf)),
                    "ExpireTimeStamp", leaf.getNotAfter().getTime(), "RegionId", q.get("RegionId"),
                    "IsAliCloudCertificate", 0));
        }
        return ok("ServerCertificates", Map.of("ServerCertificate", list));
    }

    private Object deleteServerCertificate(Map<String, String> q) {
        String id = q.get("ServerCertificateId");
        boolean used = loadBalancers.values().stream().flatMap(lb -> lb.listeners.values().stream())
                .anyMatch(l -> id.equals(l[1]));
        if (used) {
            throw new CloudError(400, "ResourceInUse.ServerCertificate", "The server certificate is in use.");
        }
        if (serverCertificates.remove(id) == null) {
            throw new CloudError(400, "ServerCertificateId.NotFound", "The specified ServerCertificateId does not exist.");
        }
        return ok();
    }

    /** SLB's fingerprint form: SHA-1, lower-case hex pairs joined by colons. */
    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        return Arrays.stream(dn.split(",")).filter(p -> p.startsWith("CN=")).map(p -> p.substring(3)).findFirst().orElse("");
    }

    private static List<String> sans(X509Certificate certificate) {
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            return all == null ? List.of() : all.stream().filter(s -> Integer.valueOf(2).equals(s.get(0)))
                    .map(s -> String.valueOf(s.get(1))).collect(Collectors.toList());
        } catch (Exception e) {
            return List.of();
        }
    }

    // ---- WAF 3.0

    private void existingWafInstance(Map<String, String> q) {
        if (wafInstanceId == null || !wafInstanceId.equals(q.get("InstanceId"))) {
            throw new CloudError(400, "Waf.Instance.NotExist", "The WAF instance does not exist.");
        }
        if (!Set.of("cn-hangzhou", "ap-southeast-1").contains(q.get("RegionId"))) {
            throw new CloudError(400, "InvalidRegionId", "WAF 3.0 is in cn-hangzhou or ap-southeast-1");
        }
    }

    private WafDomain existingWafDomain(Map<String, String> q) {
        existingWafInstance(q);
        WafDomain domain = wafDomains.get(q.get("Domain"));
        if (domain == null) {
            throw new CloudError(400, "Waf.Pullin.DomainNotExist", "The domain does not exist.");
        }
        return domain;
    }

    private Object describeWafDomains(Map<String, String> q) {
        existingWafInstance(q);
        int page = number(q, "PageNumber", 1);
        int size = number(q, "PageSize", 10);
        List<String> names = List.copyOf(wafDomains.keySet());
        List<Map<String, Object>> data = page(names, page, size).stream().map(n -> Map.<String, Object>of("Domain", n,
                "DomainId", n + "-waf", "Status", 1, "Cname", "fake.yundunwaf.com")).toList();
        return ok("Domains", data, "TotalCount", names.size());
    }

    private Object describeWafDomainDetail(Map<String, String> q) {
        WafDomain domain = existingWafDomain(q);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("Domain", q.get("Domain"));
        detail.put("Status", 1);
        detail.put("Listen", domain.listen);
        detail.put("Redirect", domain.redirect);
        Object certId = domain.listen.get("CertId");
        StoredCertificate c = certId == null ? null
                : cas.get(String.valueOf(certId).substring(0, String.valueOf(certId).indexOf('-')));
        if (c != null) {
            detail.put("CertDetail", Map.of("Id", certId, "Name", c.name(), "CommonName", commonName(c.leaf()),
                    "Sans", sans(c.leaf()), "EndTime", c.leaf().getNotAfter().getTime()));
        }
        return ok(detail.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
    }

    @SuppressWarnings("unchecked")
    private Object modifyWafDomain(Map<String, String> q) {
        WafDomain domain = existingWafDomain(q);
        Map<String, Object> listen;
        Map<String, Object> redirect;
        try {
            listen = json.readValue(q.get("Listen"), Map.class);
            redirect = json.readValue(q.get("Redirect"), Map.class);
        } catch (IOException e) {
            throw new CloudError(400, "InvalidParameter", "Listen and Redirect must be JSON objects");
        }
        if (!(listen.get("HttpsPorts") instanceof List<?> https) || https.isEmpty()) {
            throw new CloudError(400, "InvalidParameter.HttpsPorts", "a certificate needs an HTTPS port");
        }
        String certId = String.valueOf(listen.get("CertId"));
        if (!certId.matches("[0-9]+-(cn-hangzhou|ap-southeast-1)") || !cas.containsKey(certId.substring(0, certId.indexOf('-')))) {
            throw new CloudError(400, "InvalidParameter.CertId", "CertId " + certId + " is not a certificate of CAS");
        }
        if (!(redirect.get("Backends") instanceof List<?> backends) || backends.isEmpty()
                || backends.stream().anyMatch(b -> !(b instanceof String))) {
            throw new CloudError(400, "InvalidParameter.Backends", "Redirect.Backends must be a list of addresses");
        }
        if (!ignoredSets.contains(q.get("Domain"))) {
            Map<String, Object> described = new LinkedHashMap<>(redirect);
            described.put("Backends", backends.stream().map(b -> Map.of("Backend", b)).toList());
            domain.listen = listen;
            domain.redirect = described;
        }
        return ok("DomainInfo", Map.of("Domain", q.get("Domain"), "DomainId", q.get("Domain") + "-waf"));
    }

    /** Ids in CAS, for assertions. */
    Set<String> casIds() {
        return new HashSet<>(cas.keySet());
    }
}
