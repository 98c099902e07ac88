package io.certflow.platform.secrets;

import java.util.Base64;
import java.util.Objects;

/**
 * A secret under envelope encryption, as stored in MongoDB: the data key wrapped by the KEK, and the
 * secret encrypted by the data key (both AES-256-GCM, each as base64 of nonce followed by ciphertext
 * and tag). Exists so that stored documents never hold a key in the clear; its {@link #toString()}
 * shows no ciphertext either.
 *
 * @param scheme         the format version, {@value #SCHEME}
 * @param keyId          the id of the key-encryption key that wrapped the data key
 * @param wrappedDataKey base64 of the wrapped data key
 * @param ciphertext     base64 of the encrypted secret
 */
public record SealedSecret(String scheme, String keyId, String wrappedDataKey, String ciphertext) {

    /** AES-256-GCM data key, wrapped with AES-256-GCM under the KEK. */
    public static final String SCHEME = "envelope-aes256gcm-v1";

    public SealedSecret {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(wrappedDataKey, "wrappedDataKey");
        Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public String toString() {
        int length = ciphertext.isEmpty() ? 0 : Base64.getDecoder().decode(ciphertext).length;
        return "SealedSecret[scheme=" + scheme + ", keyId=" + keyId + ", " + length + " bytes]";
    }
}
