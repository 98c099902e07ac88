package io.certflow.order.ordering;

import java.util.List;
import java.util.Locale;

/**
 * The certificate key an order asks for: its type ({@code EC_P256}, {@code EC_P384}, {@code RSA_2048},
 * {@code RSA_3072}, {@code RSA_4096}; none means the CA profile's default, EC P-256 unless configured) and whether
 * renewals keep the key ({@code reuseKey}; by default every renewal certifies a new key). Exists so that the API
 * refuses an unknown key type with a reason instead of letting the issuance fail later.
 *
 * @param keyType  the normalized key type, or null for the profile's default
 * @param reuseKey whether renewals keep the private key of the version they replace
 */
public record KeyChoice(String keyType, boolean reuseKey) {

    /** The key types certflow issues for, as {@code CertificateRequested.keyType} names them. */
    public static final List<String> KEY_TYPES = List.of("EC_P256", "EC_P384", "RSA_2048", "RSA_3072", "RSA_4096");

    /** The default: the profile's key type, a new key at every renewal. */
    public static final KeyChoice DEFAULT = new KeyChoice(null, false);

    /**
     * The choice of an order.
     *
     * @throws InvalidOrderException ({@link ReasonCode#INVALID_KEY_TYPE}) for a key type not in {@link #KEY_TYPES}
     */
    public static KeyChoice of(String keyType, Boolean reuseKey) {
        String type = null;
        if (keyType != null) {
            type = keyType.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            if (!KEY_TYPES.contains(type)) {
                throw new InvalidOrderException(ReasonCode.INVALID_KEY_TYPE, "keyType: '" + shorten(keyType)
                        + "' is not one of " + String.join(", ", KEY_TYPES));
            }
        }
        return new KeyChoice(type, Boolean.TRUE.equals(reuseKey));
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
