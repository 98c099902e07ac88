package io.certflow.deployment.target.aws;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test's own AWS Signature Version 4 verifier, written from AWS's documented algorithm ("Create a signed AWS API
 * request", IAM User Guide) and not from the SDK: canonical request (method, path segments URI-encoded again for every
 * service but S3, query parameters encoded and sorted, the signed headers lower-cased with trimmed values, the hex
 * SHA-256 of the body) → string to sign ({@code AWS4-HMAC-SHA256}, the request time, the scope, the canonical request's
 * hash) → signing key (HMAC chain {@code "AWS4"+secret} → date → region → service → {@code aws4_request}) → signature.
 * {@link SigV4VerifierTest} checks it against AWS's published example first.
 */
final class SigV4Verifier {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([a-z0-9;\\-]+), ?Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One HTTP request as it reached the server. Header names in any case; several values per header kept. */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        /** The values of a header, by name in any case. */
        List<String> header(String name) {
            List<String> values = new ArrayList<>();
            headers.forEach((k, v) -> {
                if (k.equalsIgnoreCase(name)) {
                    values.addAll(v);
                }
            });
            return values;
        }

        String first(String name) {
            List<String> values = header(name);
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /** What a request was signed with. */
    record Signed(String accessKeyId, String date, String region, String service, List<String> signedHeaders,
                  String signature) {
    }

    /** The verdict: who signed, for which region and service, or why the signature does not hold. */
    record Result(Signed signed, String problem) {
        boolean valid() {
            return problem == null;
        }
    }

    private SigV4Verifier() {
    }

    /** Reads the Authorization header, or null when it is no SigV4 header. */
    static Signed parse(Request request) {
        String authorization = request.first("Authorization");
        if (authorization == null) {
            return null;
        }
        Matcher m = AUTHORIZATION.matcher(authorization.strip());
        if (!m.matches()) {
            return null;
        }
        return new Signed(m.group(1), m.group(2), m.group(3), m.group(4), Arrays.asList(m.group(5).split(";")), m.group(6));
    }

    /**
     * Checks a request's signature.
     *
     * @param secrets the secret of each access key id the fake knows (null when unknown)
     * @param now     the server's clock, for the 15-minute window AWS allows
     */
    static Result verify(Request request, Function<String, String> secrets, Instant now) {
        Signed signed = parse(request);
        if (signed == null) {
            return new Result(null, "no AWS4-HMAC-SHA256 Authorization header");
        }
        String amzDate = request.first("X-Amz-Date");
        if (amzDate == null) {
            return new Result(signed, "no X-Amz-Date header");
        }
        Instant at;
        try {
            at = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (RuntimeException e) {
            return new Result(signed, "X-Amz-Date is not yyyyMMddTHHmmssZ");
        }
        if (!amzDate.startsWith(signed.date())) {
            return new Result(signed, "the credential scope's date is not the X-Amz-Date's");
        }
        if (Duration.between(at, now).abs().compareTo(Duration.ofMinutes(15)) > 0) {
            return new Result(signed, "the signature is older or newer than 15 minutes");
        }
        if (!signed.signedHeaders().contains("host") || !signed.signedHeaders().contains("x-amz-date")) {
            return new Result(signed, "host and x-amz-date must be signed");
        }
        if (request.first("X-Amz-Security-Token") != null && !signed.signedHeaders().contains("x-amz-security-token")) {
            return new Result(signed, "x-amz-security-token is sent but not signed");
        }
        List<String> sorted = new ArrayList<>(signed.signedHeaders());
        sorted.sort(null);
        if (!sorted.equals(signed.signedHeaders())) {
            return new Result(signed, "SignedHeaders are not sorted");
        }
        for (String name : signed.signedHeaders()) {
            if (request.header(name).isEmpty()) {
                return new Result(signed, "signed header " + name + " is not in the request");
            }
        }
        String secret = secrets.apply(signed.accessKeyId());
        if (secret == null) {
            return new Result(signed, "unknown access key id");
        }
        String expected = signature(request, signed, amzDate, secret);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signed.signature().getBytes(StandardCharsets.US_ASCII))) {
            return new Result(signed, "signature mismatch");
        }
        return new Result(signed, null);
    }

    /** The signature the request must carry. */
    static String signature(Request request, Signed signed, String amzDate, String secret) {
        String toSign = stringToSign(amzDate, signed.date() + "/" + signed.region() + "/" + signed.service() + "/aws4_request",
                canonicalRequest(request, signed.signedHeaders(), !"s3".equals(signed.service())));
        return hex(hmac(signingKey(secret, signed.date(), signed.region(), signed.service()), toSign));
    }

    /** Step 1: the canonical request. */
    static String canonicalRequest(Request request, List<String> signedHeaders, boolean encodePathAgain) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(request.method()).append('\n');
        canonical.append(canonicalPath(request.rawPath(), encodePathAgain)).append('\n');
        canonical.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.header(name).stream()
                    .map(v -> v.strip().replaceAll(" +", " ")).toList();
            canonical.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
        String declared = request.first("X-Amz-Content-Sha256");
        canonical.append(declared != null ? declared : hex(sha256(request.body())));
        return canonical.toString();
    }

    /** Step 2: the string to sign. */
    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    /** Step 3: the signing key. */
    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    /** The body hash when the request declares one: it must be the body's. */
    static String bodyHashProblem(Request request) {
        String declared = request.first("X-Amz-Content-Sha256");
        if (declared == null || declared.equals("UNSIGNED-PAYLOAD")) {
            return null;
        }
        return declared.equals(hex(sha256(request.body()))) ? null : "X-Amz-Content-Sha256 is not the body's hash";
    }

    private static String canonicalPath(String rawPath, boolean encodeAgain) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        if (!encodeAgain) {
            return rawPath;
        }
        // the path as sent is encoded once; AWS encodes each segment once more (every service but S3)
        String[] segments = rawPath.split("/", -1);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(encode(segments[i]));
        }
        return path.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = encode(decode(eq < 0 ? pair : pair.substring(0, eq)));
            String value = eq < 0 ? "" : encode(decode(pair.substring(eq + 1)));
            sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> parts.add(name + "=" + v)));
        return String.join("&", parts);
    }

    /** RFC 3986 encoding as AWS documents it: everything but A-Z a-z 0-9 - _ . ~ as %XY, upper-case hex. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Percent-decoding only ('+' stays '+', as AWS signs it). */
    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
