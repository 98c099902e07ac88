package io.certflow.verification.dns.provider.alibaba;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Alibaba Cloud's RPC request signature, version 1.0: the parameters (all but {@code Signature}) sorted by name,
 * name and value percent-encoded and joined into a canonicalized query; the string to sign is
 * {@code GET&%2F&} followed by the percent-encoded canonicalized query; the signature is the base64 HMAC-SHA1 of
 * it, keyed with the AccessKey secret followed by {@code &}. Written here because the vendor SDK is not available;
 * checked against the example of Alibaba Cloud's "Request signatures (RPC)" documentation.
 *
 * @see <a href="https://www.alibabacloud.com/help/doc-detail/28139.htm">Alibaba Cloud: request signatures (RPC)</a>
 */
final class RpcSignature {

    private static final String UNRESERVED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

    private RpcSignature() {
    }

    /**
     * Percent-encodes as Alibaba Cloud requires: the UTF-8 bytes of {@code text}, each byte other than
     * {@code A-Z a-z 0-9 - _ . ~} as {@code %XY} (so a space is {@code %20}, never {@code +}).
     */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The parameters sorted by name, each {@code name=value} percent-encoded, joined with {@code &}. */
    static String canonicalizedQuery(Map<String, String> parameters) {
        return new TreeMap<>(parameters).entrySet().stream()
                .map(e -> percentEncode(e.getKey()) + "=" + percentEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** {@code GET&%2F&percentEncode(canonicalizedQuery)}: what is signed for a GET request. */
    static String stringToSign(Map<String, String> parameters) {
        return "GET&" + percentEncode("/") + "&" + percentEncode(canonicalizedQuery(parameters));
    }

    /** The base64 signature of a GET request with these parameters ({@code Signature} itself not among them). */
    static String sign(String accessKeySecret, Map<String, String> parameters) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((accessKeySecret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(stringToSign(parameters).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available in this JVM", e);
        }
    }
}
