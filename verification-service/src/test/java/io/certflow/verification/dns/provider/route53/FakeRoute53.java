package io.certflow.verification.dns.provider.route53;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plays Amazon Route 53's REST API 2013-04-01 on a loopback port for the calls {@link Route53Provider} makes
 * ({@code ListHostedZonesByName}, {@code ListResourceRecordSets}, {@code ChangeResourceRecordSets}), keeping
 * hosted zones and record sets in memory, and checks each request as AWS documents it: the Signature Version 4
 * {@code Authorization} header recomputed here, independently of {@link SigV4Signer}, from the one known secret
 * (credential scope, signed headers with {@code host} and {@code x-amz-date}, canonical path and query, payload
 * hash, a date within 5 minutes); the path and query parameters of each call; the element names, namespace and
 * order of a {@code ChangeResourceRecordSetsRequest}; quoted TXT strings of at most 255 characters; and the
 * all-or-nothing rules of a change batch (a {@code DELETE} must name the exact current set). A request that does
 * not match gets the error answer Route 53 sends.
 */
final class FakeRoute53 implements AutoCloseable {

    static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final String REGION = "us-east-1";
    private static final String SERVICE = "route53";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/,]+)/(\\d{8})/([^/,]+)"
            + "/([^/,]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
    private static final Pattern ZONE_PATH = Pattern.compile("/2013-04-01/hostedzone/([^/]+)/rrset(/?)");
    private static final Pattern TXT_RDATA = Pattern.compile("\"((?:[^\"\\\\]|\\\\[0-7]{3}|\\\\[^0-7])*)\"");

    /** A hosted zone. */
    record Zone(String id, String name, boolean privateZone) {
    }

    /** A simple resource record set, values as Route 53 holds them (TXT: quoted strings). */
    record RecordSet(String name, String type, long ttl, List<String> values) {
    }

    /** A request as received, for tests that check what was (not) sent. */
    record Request(String method, String path, String query, String body) {
    }

    private final String accessKeyId;
    private final String secret;
    private final String sessionToken;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Zone> zones = new LinkedHashMap<>();
    private final Map<String, Map<List<String>, RecordSet>> sets = new HashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> changeActions = new CopyOnWriteArrayList<>();
    private final List<String[]> failures = new CopyOnWriteArrayList<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean hang;
    private int nextZone = 1;

    /** @param sessionToken the token requests must carry, or {@code null} for long-term credentials */
    FakeRoute53(String accessKeyId, String secret, String sessionToken, Clock clock) throws IOException {
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.sessionToken = sessionToken;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates a hosted zone; zones of the same name list in the order they were created. */
    synchronized String addZone(String name, boolean privateZone) {
        String id = String.format("Z%013d", nextZone++);
        String apex = absolute(name);
        zones.put(id, new Zone(id, apex, privateZone));
        Map<List<String>, RecordSet> zoneSets = new HashMap<>();
        zoneSets.put(key(apex, "SOA"), new RecordSet(apex, "SOA", 900,
                List.of("ns-1.awsdns-00.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")));
        zoneSets.put(key(apex, "NS"), new RecordSet(apex, "NS", 172800, List.of("ns-1.awsdns-00.com.")));
        sets.put(id, zoneSets);
        return id;
    }

    /** Puts a TXT set as another tool would have, values in Route 53's quoted form. */
    synchronized void putTxt(String zoneId, String name, long ttl, String... values) {
        sets.get(zoneId).put(key(absolute(name), "TXT"), new RecordSet(absolute(name), "TXT", ttl, List.of(values)));
    }

    /** The TXT set at {@code name}, as Route 53 holds it. */
    synchronized Optional<RecordSet> txt(String zoneId, String name) {
        return Optional.ofNullable(sets.get(zoneId).get(key(absolute(name), "TXT")));
    }

    /** The values of the TXT set at {@code name} in Route 53's quoted form; empty when there is none. */
    List<String> txtValues(String zoneId, String name) {
        return txt(zoneId, name).map(RecordSet::values).orElse(List.of());
    }

    /** The actions of the change batches applied, in order. */
    List<String> changeActions() {
        return List.copyOf(changeActions);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next {@code count} authenticated requests get this error answer. */
    void failNext(int count, int status, String code, String message) {
        for (int i = 0; i < count; i++) {
            failures.add(new String[] {String.valueOf(status), code, message});
        }
    }

    /** Refuses calls of {@code action} (e.g. {@code ChangeResourceRecordSets}) as an IAM policy without it would. */
    void deny(String action) {
        denied.add(action);
    }

    /** From now on, takes requests and never answers. */
    void hang() {
        hang = true;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    new String(body, StandardCharsets.UTF_8)));
            if (hang) {
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
            Answer answer = authenticate(exchange, body);
            if (answer == null && !failures.isEmpty()) {
                String[] failure = failures.remove(0);
                answer = error(Integer.parseInt(failure[0]), failure[1], failure[2]);
            }
            if (answer == null) {
                try {
                    answer = route(exchange.getRequestMethod(), uri, body);
                } catch (RuntimeException e) { // a bug of the fake: make it visible to the test
                    answer = error(500, "InternalFailure", "FakeRoute53 failed: " + e);
                }
            }
            byte[] bytes = answer.xml().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Answer(int status, String xml) {
    }

    private record Change(String action, String name, String type, String ttl, List<String> values) {
    }

    // ---- Signature Version 4, checked the way AWS documents it -------------------------------------------------

    private Answer authenticate(HttpExchange exchange, byte[] body) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return error(403, "MissingAuthenticationToken", "Missing Authentication Token");
        }
        Matcher auth = AUTHORIZATION.matcher(authorization);
        if (!auth.matches()) {
            return error(403, "IncompleteSignature", "Authorization header requires 'Credential', 'Signature' and"
                    + " 'SignedHeaders' parameters. Authorization=" + authorization);
        }
        if (!accessKeyId.equals(auth.group(1))) {
            return error(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(String.valueOf(amzDate), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return error(403, "IncompleteSignature", "Authorization header requires existence of either a"
                    + " 'X-Amz-Date' or a 'Date' header.");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(Duration.ofMinutes(5)) > 0) {
            return error(403, "SignatureDoesNotMatch", "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(LocalDateTime.ofInstant(clock.instant().minusSeconds(300), ZoneOffset.UTC))
                    + " (" + AMZ_DATE.format(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)) + " - 5 min.)");
        }
        if (!auth.group(2).equals(amzDate.substring(0, 8))) {
            return error(403, "SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from ISO-8601"
                    + " version of date from HTTP: '" + auth.group(2) + "' != '" + amzDate.substring(0, 8) + "'");
        }
        if (!REGION.equals(auth.group(3))) {
            return error(403, "SignatureDoesNotMatch", "Credential should be scoped to a valid region, not '"
                    + auth.group(3) + "'.");
        }
        if (!SERVICE.equals(auth.group(4))) {
            return error(403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'route53'.");
        }
        List<String> signedHeaders = List.of(auth.group(5).split(";"));
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")
                || !signedHeaders.equals(signedHeaders.stream().sorted().toList())) {
            return error(403, "SignatureDoesNotMatch", "'Host' and 'X-Amz-Date' must be signed, names sorted.");
        }
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        if (sessionToken == null ? token != null
                : !(sessionToken.equals(token) && signedHeaders.contains("x-amz-security-token"))) {
            return error(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
        }
        Map<String, String> headers = new TreeMap<>();
        for (String name : signedHeaders) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values == null) {
                return error(403, "SignatureDoesNotMatch", "Signed header '" + name + "' is missing.");
            }
            headers.put(name, String.join(",", values));
        }
        URI uri = exchange.getRequestURI();
        String expected = signature(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body,
                amzDate, secret, REGION, SERVICE);
        if (!expected.equals(auth.group(6))) {
            return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the"
                    + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the"
                    + " service documentation for details.");
        }
        return null;
    }

    /** The SigV4 signature of a request as AWS computes it; {@code headers} are the signed ones, by lower-case name. */
    static String signature(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                            String amzDate, String secret, String region, String service) {
        String path = rawPath == null || rawPath.isEmpty() ? "/"
                : Arrays.stream(rawPath.split("/", -1)).map(FakeRoute53::uriEncode).collect(Collectors.joining("/"));
        List<String[]> params = new ArrayList<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] nv = pair.split("=", 2);
                params.add(new String[] {uriEncode(uriDecode(nv[0])), uriEncode(uriDecode(nv.length > 1 ? nv[1] : ""))});
            }
        }
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder canonical = new StringBuilder(method).append('\n').append(path).append('\n')
                .append(params.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"))).append('\n');
        Map<String, String> sorted = new TreeMap<>();
        headers.forEach((name, value) -> sorted.put(name.toLowerCase(), value.trim().replaceAll("\\s+", " ")));
        sorted.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        canonical.append('\n').append(String.join(";", sorted.keySet())).append('\n').append(hex(sha256(body)));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = ("AWS4" + secret).getBytes(StandardCharsets.UTF_8);
        for (String part : new String[] {amzDate.substring(0, 8), region, service, "aws4_request"}) {
            key = hmac(key, part);
        }
        return hex(hmac(key, stringToSign));
    }

    private static String uriEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String uriDecode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    // ---- the three calls -------------------------------------------------------------------------------------------

    private Answer route(String method, URI uri, byte[] body) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nv = pair.split("=", 2);
                query.put(uriDecode(nv[0]), nv.length > 1 ? uriDecode(nv[1]) : "");
            }
        }
        String path = uri.getRawPath();
        Matcher zonePath = ZONE_PATH.matcher(path);
        if ("GET".equals(method) && "/2013-04-01/hostedzonesbyname".equals(path)) {
            return permitted("ListHostedZonesByName", "*").orElseGet(() -> listHostedZonesByName(query));
        }
        if ("GET".equals(method) && zonePath.matches() && zonePath.group(2).isEmpty()) {
            return permitted("ListResourceRecordSets", zonePath.group(1))
                    .orElseGet(() -> listResourceRecordSets(zonePath.group(1), query));
        }
        if ("POST".equals(method) && zonePath.matches() && "/".equals(zonePath.group(2)) && query.isEmpty()) {
            return permitted("ChangeResourceRecordSets", zonePath.group(1))
                    .orElseGet(() -> changeResourceRecordSets(zonePath.group(1), body));
        }
        return error(400, "InvalidInput", "Invalid request: " + method + " " + path);
    }

    private Optional<Answer> permitted(String action, String zoneId) {
        return denied.contains(action) ? Optional.of(error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/"
                + "certflow is not authorized to perform: route53:" + action + " on resource: arn:aws:route53:::"
                + ("*".equals(zoneId) ? "*" : "hostedzone/" + zoneId) + " because no identity-based policy allows the"
                + " route53:" + action + " action")) : Optional.empty();
    }

    private synchronized Answer listHostedZonesByName(Map<String, String> query) {
        if (!Set.of("dnsname", "hostedzoneid", "maxitems").containsAll(query.keySet())) {
            return error(400, "InvalidInput", "Unknown parameter(s) " + query.keySet());
        }
        if (query.containsKey("hostedzoneid") && !query.containsKey("dnsname")) {
            return error(400, "InvalidInput", "hostedzoneid requires dnsname");
        }
        int maxItems;
        try {
            maxItems = Math.min(100, Integer.parseInt(query.getOrDefault("maxitems", "100")));
        } catch (NumberFormatException e) {
            return error(400, "InvalidInput", "maxitems must be a number");
        }
        String dnsName = query.containsKey("dnsname") ? absolute(query.get("dnsname")) : null;
        List<Zone> sorted = zones.values().stream()
                .sorted(Comparator.<Zone, List<String>>comparing(z -> reversedLabels(z.name()), FakeRoute53::compareLabels)
                        .thenComparing(Zone::id)).toList();
        List<Zone> from = sorted.stream().filter(z -> dnsName == null || atOrAfter(z, dnsName, query.get("hostedzoneid")))
                .toList();
        List<Zone> page = from.subList(0, Math.min(maxItems, from.size()));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListHostedZonesByNameResponse"
                + " xmlns=\"" + NS + "\"><HostedZones>");
        for (Zone zone : page) {
            xml.append("<HostedZone><Id>/hostedzone/").append(zone.id()).append("</Id><Name>").append(zone.name())
                    .append("</Name><CallerReference>").append(zone.id()).append("</CallerReference><Config>")
                    .append("<PrivateZone>").append(zone.privateZone()).append("</PrivateZone></Config>")
                    .append("<ResourceRecordSetCount>").append(sets.get(zone.id()).size())
                    .append("</ResourceRecordSetCount></HostedZone>");
        }
        xml.append("</HostedZones>");
        if (dnsName != null) {
            xml.append("<DNSName>").append(dnsName).append("</DNSName>");
        }
        boolean truncated = from.size() > page.size();
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            Zone next = from.get(page.size());
            xml.append("<NextDNSName>").append(next.name()).append("</NextDNSName><NextHostedZoneId>")
                    .append(next.id()).append("</NextHostedZoneId>");
        }
        return new Answer(200, xml.append("<MaxItems>").append(maxItems).append("</MaxItems>")
                .append("</ListHostedZonesByNameResponse>").toString());
    }

    private static boolean atOrAfter(Zone zone, String dnsName, String startId) {
        int c = compareLabels(reversedLabels(zone.name()), reversedLabels(dnsName));
        return c > 0 || (c == 0 && (startId == null || zone.id().compareTo(startId) >= 0));
    }

    private synchronized Answer listResourceRecordSets(String zoneId, Map<String, String> query) {
        if (!zones.containsKey(zoneId)) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        }
        if (!Set.of("name", "type", "identifier", "maxitems").containsAll(query.keySet())) {
            return error(400, "InvalidInput", "Unknown parameter(s) " + query.keySet());
        }
        if (query.containsKey("type") && !query.containsKey("name")) {
            return error(400, "InvalidInput", "The input is not valid: type requires name");
        }
        if (query.containsKey("type") && !Set.of("SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV",
                "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS").contains(query.get("type"))) {
            return error(400, "InvalidInput", "Invalid type: " + query.get("type"));
        }
        int maxItems;
        try {
            maxItems = Math.min(300, Integer.parseInt(query.getOrDefault("maxitems", "300")));
        } catch (NumberFormatException e) {
            return error(400, "InvalidInput", "maxitems must be a number");
        }
        List<String> start = query.containsKey("name") ? key(absolute(query.get("name")), query.getOrDefault("type", ""))
                : null;
        List<RecordSet> from = sets.get(zoneId).values().stream()
                .sorted(Comparator.comparing((RecordSet s) -> key(s.name(), s.type()), FakeRoute53::compareLabels))
                .filter(s -> start == null || compareLabels(key(s.name(), s.type()), start) >= 0).toList();
        List<RecordSet> page = from.subList(0, Math.min(maxItems, from.size()));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListResourceRecordSetsResponse"
                + " xmlns=\"" + NS + "\"><ResourceRecordSets>");
        for (RecordSet set : page) {
            xml.append("<ResourceRecordSet><Name>").append(set.name()).append("</Name><Type>").append(set.type())
                    .append("</Type><TTL>").append(set.ttl()).append("</TTL><ResourceRecords>");
            for (String value : set.values()) {
                xml.append("<ResourceRecord><Value>").append(escape(value)).append("</Value></ResourceRecord>");
            }
            xml.append("</ResourceRecords></ResourceRecordSet>");
        }
        boolean truncated = from.size() > page.size();
        xml.append("</ResourceRecordSets><IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            xml.append("<NextRecordName>").append(from.get(page.size()).name()).append("</NextRecordName><NextRecordType>")
                    .append(from.get(page.size()).type()).append("</NextRecordType>");
        }
        return new Answer(200, xml.append("<MaxItems>").append(maxItems).append("</MaxItems>")
                .append("</ListResourceRecordSetsResponse>").toString());
    }

    private synchronized Answer changeResourceRecordSets(String zoneId, byte[] body) {
        if (!zones.containsKey(zoneId)) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        }
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            root = builder.parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (Exception e) {
            return error(400, "InvalidInput", "Invalid XML ; " + e.getMessage());
        }
        if (!NS.equals(root.getNamespaceURI()) || !"ChangeResourceRecordSetsRequest".equals(root.getLocalName())) {
            return error(400, "InvalidInput", "Invalid XML ; cvc-elt.1.a: Cannot find the declaration of element '"
                    + root.getTagName() + "'.");
        }
        List<Change> changes = new ArrayList<>();
        try {
            Element batch = only(root, "ChangeBatch");
            List<Element> batchChildren = elements(batch);
            expect(batchChildren, batchChildren.size() == 2 ? List.of("Comment", "Changes") : List.of("Changes"));
            Element changeList = batchChildren.get(batchChildren.size() - 1);
            List<Element> changeElements = elements(changeList);
            if (changeElements.isEmpty()) {
                throw new IllegalArgumentException("cvc-complex-type.2.4.b: The content of element 'Changes' is not"
                        + " complete.");
            }
            for (Element change : changeElements) {
                expect(List.of(change), List.of("Change"));
                List<Element> parts = elements(change);
                expect(parts, List.of("Action", "ResourceRecordSet"));
                List<Element> set = elements(parts.get(1));
                expect(set, List.of("Name", "Type", "TTL", "ResourceRecords"));
                List<String> values = new ArrayList<>();
                for (Element record : elements(set.get(3))) {
                    expect(List.of(record), List.of("ResourceRecord"));
                    List<Element> value = elements(record);
                    expect(value, List.of("Value"));
                    values.add(value.get(0).getTextContent());
                }
                changes.add(new Change(parts.get(0).getTextContent(), set.get(0).getTextContent(),
                        set.get(1).getTextContent(), set.get(2).getTextContent(), values));
            }
        } catch (IllegalArgumentException e) {
            return error(400, "InvalidInput", "Invalid XML ; " + e.getMessage());
        }

        Zone zone = zones.get(zoneId);
        Map<List<String>, RecordSet> result = new HashMap<>(sets.get(zoneId));
        List<String> problems = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (Change change : changes) {
            String action = change.action();
            String name = absolute(change.name());
            String type = change.type();
            List<String> values = change.values();
            String described = "[name='" + name + "', type='" + type + "']";
            if (!Set.of("CREATE", "DELETE", "UPSERT").contains(action)) {
                return error(400, "InvalidInput", "Invalid XML ; value '" + action + "' is not facet-valid with"
                        + " respect to enumeration '[CREATE, DELETE, UPSERT]'.");
            }
            if (!(name.equals(zone.name()) || name.endsWith("." + zone.name()))) {
                problems.add("RRSet with DNS name " + name + " is not permitted in zone " + zone.name());
                continue;
            }
            if (!"TXT".equals(type)) {
                problems.add("this fake keeps TXT record sets only, not " + type);
                continue;
            }
            long ttl;
            try {
                ttl = Long.parseLong(change.ttl());
            } catch (NumberFormatException e) {
                return error(400, "InvalidInput", "Invalid XML ; '" + change.ttl() + "' is not a valid value for 'long'.");
            }
            if (values.isEmpty()) {
                return error(400, "InvalidInput", "Invalid XML ; cvc-complex-type.2.4.b: The content of element"
                        + " 'ResourceRecords' is not complete.");
            }
            for (String value : values) {
                String problem = txtProblem(value);
                if (problem != null) {
                    problems.add("Invalid Resource Record: 'FATAL problem: " + problem + " encountered with '"
                            + value + "''");
                }
            }
            if (Set.copyOf(values).size() != values.size()) {
                problems.add("Duplicate Resource Record: '" + values + "'");
            }
            RecordSet existing = result.get(key(name, type));
            RecordSet wanted = new RecordSet(name, type, ttl, List.copyOf(values));
            switch (action) {
                case "CREATE" -> {
                    if (existing != null) {
                        problems.add("Tried to create resource record set " + described + " but it already exists");
                    }
                    result.put(key(name, type), wanted);
                }
                case "DELETE" -> {
                    if (existing == null) {
                        problems.add("Tried to delete resource record set " + described + " but it was not found");
                    } else if (existing.ttl() != ttl || !Set.copyOf(existing.values()).equals(Set.copyOf(values))
                            || existing.values().size() != values.size()) {
                        problems.add("Tried to delete resource record set " + described
                                + " but the values provided do not match the current values");
                    }
                    result.remove(key(name, type));
                }
                default -> result.put(key(name, type), wanted);
            }
            actions.add(action);
        }
        if (!problems.isEmpty()) {
            return error(400, "InvalidChangeBatch", problems.toString());
        }
        sets.put(zoneId, result);
        changeActions.addAll(actions);
        return new Answer(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ChangeResourceRecordSetsResponse xmlns=\""
                + NS + "\"><ChangeInfo><Id>/change/C" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toUpperCase() + "</Id><Status>PENDING</Status><SubmittedAt>" + clock.instant()
                + "</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>");
    }

    /** Why Route 53 would refuse {@code value} as TXT data, or {@code null}: quoted strings of at most 255 characters. */
    private static String txtProblem(String value) {
        Matcher m = TXT_RDATA.matcher(value);
        int at = 0;
        while (at < value.length()) {
            if (!m.find(at) || m.start() != at) {
                return "InvalidCharacterString (Value should be enclosed in quotation marks)";
            }
            String content = m.group(1).replaceAll("\\\\[0-7]{3}|\\\\.", "x");
            if (content.length() > 255) {
                return "TXTRDATATooLong";
            }
            at = m.end();
            if (at < value.length()) {
                if (value.charAt(at) != ' ') {
                    return "InvalidCharacterString (Value should be enclosed in quotation marks)";
                }
                at++;
            }
        }
        return value.isEmpty() ? "InvalidCharacterString (Value should be enclosed in quotation marks)" : null;
    }

    private static Element only(Element parent, String name) {
        List<Element> children = elements(parent);
        expect(children, List.of(name));
        return children.get(0);
    }

    private static void expect(List<Element> elements, List<String> names) {
        List<String> found = elements.stream().map(e -> NS.equals(e.getNamespaceURI()) ? e.getLocalName()
                : "{" + e.getNamespaceURI() + "}" + e.getLocalName()).toList();
        if (!found.equals(names)) {
            throw new IllegalArgumentException("cvc-complex-type.2.4.a: Invalid content was found: " + found
                    + "; one of " + names + " is expected.");
        }
    }

    private static List<Element> elements(Element parent) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e) {
                found.add(e);
            } else if (node.getNodeType() == Node.TEXT_NODE && !node.getTextContent().isBlank()) {
                throw new IllegalArgumentException("cvc-complex-type.2.3: Element '" + parent.getLocalName()
                        + "' cannot have character [children]");
            }
        }
        return found;
    }

    // ---- names ---------------------------------------------------------------------------------------------------

    private static String absolute(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".") ? n : n + ".";
    }

    private static List<String> reversedLabels(String name) {
        String n = absolute(name);
        List<String> labels = new ArrayList<>(List.of(n.substring(0, n.length() - 1).split("\\.")));
        Collections.reverse(labels);
        return labels;
    }

    /** Sorts as Route 53 does: by the labels reversed ({@code com.example.www}), then by type. */
    private static List<String> key(String name, String type) {
        List<String> key = new ArrayList<>(reversedLabels(name));
        key.add("\u0000" + type); // a name sorts before its own subdomains' names
        return key;
    }

    private static int compareLabels(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static Answer error(int status, String code, String message) {
        return new Answer(status, "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>"
                + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code + "</Code><Message>"
                + escape(message) + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
