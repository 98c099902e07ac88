package io.certflow.verification.dns.provider.route53;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs HTTP requests with AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}, signature in the
 * {@code Authorization} header), so that an AWS API can be called without the AWS SDK. Signs the {@code host}
 * the request goes to, {@code x-amz-date}, the session token when there is one, and the extra headers given;
 * the payload is signed by its SHA-256 hash.
 *
 * <p>Paths are encoded again per segment (as every service but S3 expects) and query parameters are sorted and
 * encoded with {@link #encode(String)}; build request URIs with that same encoding so that what is sent is what
 * was signed.
 */
public final class SigV4Signer {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKeyId;
    private final byte[] secret;
    private final String sessionToken;
    private final String region;
    private final String service;

    /**
     * @param sessionToken the token of temporary credentials, or {@code null}
     * @param region       the region of the credential scope, e.g. {@code us-east-1}
     * @param service      the service of the credential scope, e.g. {@code route53}
     */
    public SigV4Signer(String accessKeyId, String secretAccessKey, String sessionToken, String region, String service) {
        this.accessKeyId = accessKeyId;
        this.secret = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        this.sessionToken = sessionToken;
        this.region = region;
        this.service = service;
    }

    /**
     * The headers that authenticate a request: {@code X-Amz-Date}, {@code X-Amz-Security-Token} (with temporary
     * credentials) and {@code Authorization}. The request must carry them and {@code headers} unchanged, and its
     * {@code Host} header must be the one of {@code uri} (host, and the port unless it is the scheme's default),
     * which is what {@code java.net.http} sends.
     *
     * @param headers extra headers to sign, such as {@code Content-Type}; not {@code Host} nor {@code X-Amz-*}
     * @param payload the request body (empty for none)
     * @param now     the signing time; AWS refuses signatures more than 5 minutes off its clock
     */
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] payload, Instant now) {
        String timestamp = TIMESTAMP.format(now);
        String date = timestamp.substring(0, 8);
        Map<String, String> canonical = new TreeMap<>();
        headers.forEach((name, value) -> canonical.put(name.toLowerCase(Locale.ROOT), value.strip().replaceAll(" +", " ")));
        canonical.put("host", host(uri));
        canonical.put("x-amz-date", timestamp);
        if (sessionToken != null) {
            canonical.put("x-amz-security-token", sessionToken);
        }
        String signedHeaders = String.join(";", canonical.keySet());
        StringBuilder request = new StringBuilder()
                .append(method).append('\n')
                .append(canonicalPath(uri.getRawPath())).append('\n')
                .append(canonicalQuery(uri.getRawQuery())).append('\n');
        canonical.forEach((name, value) -> request.append(name).append(':').append(value).append('\n'));
        request.append('\n').append(signedHeaders).append('\n').append(HEX.formatHex(sha256(payload)));

        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
                + HEX.formatHex(sha256(request.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(hmac(hmac(hmac(secret, date), region), service), "aws4_request");
        String signature = HEX.formatHex(hmac(key, toSign));

        Map<String, String> result = new LinkedHashMap<>();
        result.put("X-Amz-Date", timestamp);
        if (sessionToken != null) {
            result.put("X-Amz-Security-Token", sessionToken);
        }
        result.put("Authorization", ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return result;
    }

    /**
     * Percent-encodes as SigV4 wants: every byte of the UTF-8 form except the unreserved characters
     * {@code A-Z a-z 0-9 - _ . ~}, with upper-case hex.
     */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(uri.getScheme()) && port == 443)
                || ("http".equals(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            segments.add(encode(segment));
        }
        return String.join("/", segments);
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            pairs.add(new String[] {encode(decode(eq < 0 ? pair : pair.substring(0, eq))),
                    encode(decode(eq < 0 ? "" : pair.substring(eq + 1)))});
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return String.join("&", pairs.stream().map(p -> p[0] + "=" + p[1]).toList());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "SigV4Signer[" + accessKeyId + "/" + region + "/" + service + "]";
    }
}
