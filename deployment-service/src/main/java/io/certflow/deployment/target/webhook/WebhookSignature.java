package io.certflow.deployment.target.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of a webhook delivery, as a receiver checks it: {@code sha256=} and the lower-case hex
 * HMAC-SHA256, keyed with the credential's secret (its UTF-8 bytes), of the timestamp in decimal Unix seconds,
 * a dot, and the raw request body. It is the scheme of Stripe's and GitHub's webhooks: the timestamp is signed
 * so that a recorded delivery cannot be replayed after the receiver's window.
 */
public final class WebhookSignature {

    /** The header with the signature, {@code sha256=<hex>}. */
    public static final String SIGNATURE_HEADER = "X-Certflow-Signature";
    /** The header with the signed timestamp, decimal Unix seconds. */
    public static final String TIMESTAMP_HEADER = "X-Certflow-Timestamp";
    /** The header with the delivery's id, the same as the body's {@code deliveryId}. */
    public static final String DELIVERY_HEADER = "X-Certflow-Delivery";

    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** The {@link #SIGNATURE_HEADER} value of {@code body} sent at {@code timestamp}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            mac.update(body);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
