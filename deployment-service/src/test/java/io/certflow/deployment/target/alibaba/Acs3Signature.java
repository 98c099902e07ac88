package io.certflow.deployment.target.alibaba;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The test's own implementation of Alibaba Cloud's ACS3-HMAC-SHA256 ("V3") request signature, written from Alibaba's
 * documentation ("Request syntax and signature method V3"), not from the SDK: the fake cloud recomputes every
 * request's signature with it, and {@code Acs3SignatureTest} checks it against the documentation's worked example.
 */
final class Acs3Signature {

    static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private Acs3Signature() {
    }

    /** RFC 3986 as Alibaba asks: space {@code %20}, {@code *} {@code %2A}, {@code ~} kept. */
    static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** Parameters sorted by name, names and values percent-encoded, {@code name=value} joined by {@code &}. */
    static String canonicalQuery(Map<String, String> parameters) {
        return new TreeMap<>(parameters).entrySet().stream()
                .map(e -> percentEncode(e.getKey()) + "=" + percentEncode(e.getValue() == null ? "" : e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /**
     * The canonical request.
     *
     * @param headers       lower-case name → value, of the signed headers only
     * @param signedHeaders the names in order, as the Authorization header lists them
     */
    static String canonicalRequest(String method, String uri, Map<String, String> query, Map<String, String> headers,
                                   List<String> signedHeaders, String hashedPayload) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(uri).append('\n').append(canonicalQuery(query)).append('\n');
        for (String name : signedHeaders) {
            canonical.append(name).append(':').append(headers.get(name).strip()).append('\n');
        }
        canonical.append('\n').append(String.join(";", signedHeaders)).append('\n').append(hashedPayload);
        return canonical.toString();
    }

    static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    static String signature(String secret, String canonicalRequest) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(stringToSign(canonicalRequest).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
