package io.certflow.deployment.target.alibaba;

import com.sun.net.httpserver.HttpExchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plays OSS's bucket API (ListBuckets, ListCname, PutCname) for {@link FakeAlibabaCloud}, path-style on its loopback
 * port, and checks every request as Alibaba documents OSS's V1 signature before it answers: {@code Authorization: OSS
 * <AccessKeyId>:<Signature>}, the signature recomputed as Base64(HMAC-SHA1(AccessKeySecret, VERB \n Content-MD5 \n
 * Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource)), a {@code Date} within 15 minutes, and a
 * {@code Content-MD5} that is the body's. A request that fails a check is answered with OSS's XML error and counted in
 * {@link FakeAlibabaCloud#rejected()}.
 *
 * <p>It keeps state like OSS: buckets (with their region) and their custom domains, each with the CAS certificate
 * ({@code <CertId>-<region>}) it is bound to; PutCname accepts only a certificate CAS holds.
 */
final class FakeOss {

    /** A custom domain of a bucket and its certificate. */
    static final class Cname {
        volatile String certId;
        volatile String certStatus = "Enabled";
    }

    /** A bucket: its region and custom domains. */
    static final class Bucket {
        final String region;
        final Map<String, Cname> cnames = new ConcurrentSkipListMap<>();

        Bucket(String region) {
            this.region = region;
        }
    }

    /** The sub-resources that OSS's V1 signature covers (those this fake is asked with, and a few more). */
    private static final Set<String> SUBRESOURCES = Set.of("acl", "bucketInfo", "cname", "comp", "cors", "lifecycle",
            "location", "logging", "qos", "referer", "website", "tagging");
    private static final Pattern AUTHORIZATION = Pattern.compile("OSS ([^:\\s]+):(\\S+)");

    private final Map<String, String> accessKeys;
    private final Map<String, FakeAlibabaCloud.StoredCertificate> cas;
    private final List<String> rejected;
    final Map<String, Bucket> buckets = new ConcurrentSkipListMap<>();
    /** Every request that passed the checks: {@code METHOD /path?query}. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Every PutCname body, as received. */
    final List<String> putCnameBodies = new CopyOnWriteArrayList<>();
    /** Domains whose PutCname answers success and changes nothing. */
    final Set<String> ignoredDomains = ConcurrentHashMap.newKeySet();

    FakeOss(Map<String, String> accessKeys, Map<String, FakeAlibabaCloud.StoredCertificate> cas, List<String> rejected) {
        this.accessKeys = accessKeys;
        this.cas = cas;
        this.rejected = rejected;
    }

    /** Whether a request is OSS's: signed with OSS's scheme rather than ACS3. */
    static boolean claims(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.startsWith("OSS");
    }

    /** A bucket in {@code region}, with custom domains bound to CAS certificates ({@code domain, casId} pairs; null: none). */
    Bucket bucket(String name, String region, String... domainAndCasId) {
        Bucket bucket = new Bucket(region);
        for (int i = 0; i < domainAndCasId.length; i += 2) {
            Cname cname = new Cname();
            cname.certId = domainAndCasId[i + 1] == null ? null : domainAndCasId[i + 1] + "-cn-hangzhou";
            bucket.cnames.put(domainAndCasId[i], cname);
        }
        buckets.put(name, bucket);
        return bucket;
    }

    /** The serial (from CAS's PEM) of the certificate the domain is bound to now, or null. */
    String serial(String bucket, String domain) {
        String certId = buckets.get(bucket).cnames.get(domain).certId;
        if (certId == null) {
            return null;
        }
        FakeAlibabaCloud.StoredCertificate c = cas.get(certId.substring(0, certId.indexOf('-')));
        return c == null ? null : c.serial();
    }

    void handle(HttpExchange exchange, byte[] body) throws IOException {
        String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String problem = check(exchange, path, query, body);
        if (problem != null) {
            rejected.add(problem);
            String code = problem.substring(0, problem.indexOf(':'));
            error(exchange, code.equals("InvalidAccessKeyId") ? 403 : 400, code, problem.substring(code.length() + 2));
            return;
        }
        String method = exchange.getRequestMethod();
        requests.add(method + " " + exchange.getRequestURI());
        if (path.equals("/") && method.equals("GET")) {
            respond(exchange, 200, listBuckets());
            return;
        }
        String bucketName = path.substring(1, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1));
        Bucket bucket = buckets.get(bucketName);
        if (bucket == null) {
            error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist.");
            return;
        }
        if (method.equals("GET") && query.containsKey("cname")) {
            respond(exchange, 200, listCname(bucketName, bucket));
        } else if (method.equals("POST") && query.containsKey("cname") && "add".equals(query.get("comp"))) {
            String xml = new String(body, StandardCharsets.UTF_8);
            putCnameBodies.add(xml);
            String refusal = putCname(bucket, xml);
            if (refusal != null) {
                error(exchange, 400, refusal.substring(0, refusal.indexOf(':')), refusal.substring(refusal.indexOf(':') + 2));
            } else {
                respond(exchange, 200, "");
            }
        } else {
            error(exchange, 400, "NotImplemented", "the fake does not play " + method + " " + exchange.getRequestURI());
        }
    }

    /** Null when the request is signed as Alibaba documents OSS's V1 signature; else the problem. */
    private String check(HttpExchange exchange, String path, Map<String, String> query, byte[] body) {
        Matcher auth = AUTHORIZATION.matcher(header(exchange, "Authorization"));
        if (!auth.matches()) {
            return "AccessDenied: Authorization is not 'OSS AccessKeyId:Signature'";
        }
        String secret = accessKeys.get(auth.group(1));
        if (secret == null) {
            return "InvalidAccessKeyId: The OSS Access Key Id you provided does not exist in our records.";
        }
        String date = header(exchange, "Date");
        if (date == null) {
            return "AccessDenied: the Date header is missing";
        }
        Instant sent;
        try {
            sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return "AccessDenied: Date is not an RFC 1123 date";
        }
        if (Duration.between(sent, Instant.now()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            return "RequestTimeTooSkewed: The difference between the request time and the current time is too large.";
        }
        String md5 = header(exchange, "Content-MD5");
        if (body.length > 0 && (md5 == null || !md5.equals(base64Md5(body)))) {
            return "InvalidDigest: The Content-MD5 you specified is not the body's.";
        }
        String expected = sign(secret, stringToSign(exchange.getRequestMethod(), md5, header(exchange, "Content-Type"),
                date, ossHeaders(exchange), path, query));
        if (!expected.equals(auth.group(2))) {
            return "SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.";
        }
        return null;
    }

    /**
     * The V1 string to sign: VERB, Content-MD5, Content-Type and Date on their own lines, then the {@code x-oss-}
     * headers (lower-case names, sorted, {@code name:value} a line) and the resource ({@code /bucket/object}, with the
     * signed sub-resources sorted: {@code ?cname&comp=add}).
     */
    static String stringToSign(String verb, String md5, String contentType, String date, Map<String, String> ossHeaders,
                               String path, Map<String, String> query) {
        StringBuilder text = new StringBuilder();
        text.append(verb).append('\n').append(md5 == null ? "" : md5).append('\n')
                .append(contentType == null ? "" : contentType).append('\n').append(date).append('\n');
        new TreeMap<>(ossHeaders).forEach((k, v) -> text.append(k).append(':').append(v.strip()).append('\n'));
        text.append(path);
        String subresources = new TreeMap<>(query).entrySet().stream().filter(e -> SUBRESOURCES.contains(e.getKey()))
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        if (!subresources.isEmpty()) {
            text.append('?').append(subresources);
        }
        return text.toString();
    }

    static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> ossHeaders(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-oss-")) {
                headers.put(lower, values.get(0));
            }
        });
        return headers;
    }

    private static String base64Md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the actions

    private String listBuckets() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult>"
                + "<Owner><ID>1234567890</ID><DisplayName>1234567890</DisplayName></Owner><Buckets>");
        buckets.forEach((name, bucket) -> xml.append("<Bucket><CreationDate>2024-01-02T03:04:05.000Z</CreationDate>")
                .append("<ExtranetEndpoint>oss-").append(bucket.region).append(".aliyuncs.com</ExtranetEndpoint>")
                .append("<IntranetEndpoint>oss-").append(bucket.region).append("-internal.aliyuncs.com</IntranetEndpoint>")
                .append("<Location>oss-").append(bucket.region).append("</Location><Name>").append(name)
                .append("</Name><Region>").append(bucket.region).append("</Region><StorageClass>Standard</StorageClass>")
                .append("</Bucket>"));
        return xml.append("</Buckets></ListAllMyBucketsResult>").toString();
    }

    private String listCname(String name, Bucket bucket) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListCnameResult><Bucket>")
                .append(name).append("</Bucket><Owner>1234567890</Owner>");
        bucket.cnames.forEach((domain, cname) -> {
            xml.append("<Cname><Domain>").append(domain).append("</Domain><LastModified>2024-01-02T03:04:05.000Z")
                    .append("</LastModified><Status>Enabled</Status>");
            String certId = cname.certId;
            FakeAlibabaCloud.StoredCertificate stored = certId == null ? null : cas.get(certId.substring(0, certId.indexOf('-')));
            if (stored != null) {
                X509Certificate leaf = stored.leaf();
                xml.append("<Certificate><Type>CAS</Type><CertId>").append(certId).append("</CertId><Status>")
                        .append(cname.certStatus).append("</Status><CreationDate>Tue, 02 Jan 2024 03:04:05 GMT</CreationDate>")
                        .append("<Fingerprint>").append(fingerprint(leaf)).append("</Fingerprint><ValidStartDate>")
                        .append(leaf.getNotBefore().toInstant()).append("</ValidStartDate><ValidEndDate>")
                        .append(leaf.getNotAfter().toInstant()).append("</ValidEndDate></Certificate>");
            }
            xml.append("</Cname>");
        });
        return xml.append("</ListCnameResult>").toString();
    }

    /** Null when the change was applied; else {@code Code: message}. */
    private String putCname(Bucket bucket, String xml) {
        String domain = element(xml, "Domain");
        Cname cname = domain == null ? null : bucket.cnames.get(domain);
        if (cname == null) {
            return "NoSuchCname: the domain is not bound to this bucket";
        }
        String configuration = element(xml, "CertificateConfiguration");
        if (configuration == null) {
            return "InvalidArgument: CertificateConfiguration is missing";
        }
        if (xml.contains("<PrivateKey>") || xml.contains("<Certificate>")) {
            return "InvalidArgument: the fake expects a CAS certificate id, not PEM";
        }
        if ("true".equals(element(configuration, "DeleteCertificate"))) {
            if (!ignoredDomains.contains(domain)) {
                cname.certId = null;
            }
            return null;
        }
        String certId = element(configuration, "CertId");
        if (certId == null || !certId.matches("[0-9]+-(cn-hangzhou|ap-southeast-1)")
                || !cas.containsKey(certId.substring(0, certId.indexOf('-')))) {
            return "InvalidArgument: CertId " + certId + " is not a certificate of the Certificate Management Service";
        }
        String previous = element(configuration, "PreviousCertId");
        if (!"true".equals(element(configuration, "Force")) && cname.certId != null && !cname.certId.equals(previous)) {
            return "InvalidArgument: PreviousCertId does not match the certificate the domain uses (or set Force)";
        }
        if (!ignoredDomains.contains(domain)) {
            cname.certId = certId;
        }
        return null;
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">(.*?)</" + name + ">", Pattern.DOTALL).matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    /** OSS's fingerprint form: SHA-1, upper-case hex pairs joined by colons. */
    private static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the wire

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        respond(exchange, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                + message + "</Message><RequestId>FAKE-OSS-1</RequestId><HostId>fake.oss</HostId></Error>");
    }

    private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.getResponseHeaders().set("x-oss-request-id", "FAKE-OSS-1");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
