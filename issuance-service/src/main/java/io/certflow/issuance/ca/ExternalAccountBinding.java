package io.certflow.issuance.ca;

import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The external account binding (RFC 8555 §7.3.4) a CA such as ZeroSSL, Google Trust Services, Sectigo or
 * DigiCert requires before it creates an ACME account: the key id the CA handed out and its HMAC key.
 * Exists so that the configuration is checked once (a malformed key fails at startup, not at the first
 * order) and so that the HMAC key can be passed around without ever being printed: {@link #toString()}
 * shows the key id only.
 *
 * @param keyId        the key identifier ({@code kid}) the CA issued
 * @param hmacKey      the HMAC key, base64url as the CAs print it (padding tolerated)
 * @param macAlgorithm {@code HS256}, {@code HS384} or {@code HS512}; null: chosen from the key length
 */
public record ExternalAccountBinding(String keyId, String hmacKey, String macAlgorithm) {

    /** The MAC algorithms RFC 8555 allows for the binding's JWS. */
    public static final Set<String> MAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");

    public ExternalAccountBinding {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("the EAB key id is missing");
        }
        keyId = keyId.trim();
        if (hmacKey == null || hmacKey.isBlank()) {
            throw new IllegalArgumentException("the EAB HMAC key of key id '" + keyId + "' is missing");
        }
        hmacKey = hmacKey.trim();
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(hmacKey);
        } catch (IllegalArgumentException e) {
            // the message of the decoder names the offending character: leave it out, it is part of the secret
            throw new IllegalArgumentException("the EAB HMAC key of key id '" + keyId + "' is not base64url");
        }
        if (decoded.length < 16) {
            throw new IllegalArgumentException("the EAB HMAC key of key id '" + keyId + "' is too short ("
                    + decoded.length + " bytes; CAs issue at least 32)");
        }
        if (macAlgorithm != null && !macAlgorithm.isBlank()) {
            macAlgorithm = macAlgorithm.trim().toUpperCase(Locale.ROOT);
            if (!MAC_ALGORITHMS.contains(macAlgorithm)) {
                throw new IllegalArgumentException("unknown EAB MAC algorithm '" + macAlgorithm + "'; allowed: "
                        + String.join(", ", MAC_ALGORITHMS.stream().sorted().toList()));
            }
        } else {
            macAlgorithm = null;
        }
    }

    /** Whether {@code text} contains this binding's HMAC key (for tests and log hygiene checks). */
    public boolean appearsIn(String text) {
        return text != null && text.contains(Objects.requireNonNull(hmacKey));
    }

    @Override
    public String toString() {
        return "ExternalAccountBinding[keyId=" + keyId + (macAlgorithm == null ? "" : ", " + macAlgorithm) + "]";
    }
}
