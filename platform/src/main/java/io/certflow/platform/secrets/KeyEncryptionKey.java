package io.certflow.platform.secrets;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The AES-256 key-encryption key (KEK) from configuration that wraps every per-secret data key.
 * Exists so that the raw key bytes are held in one place, identified by a short non-secret id (so a
 * sealed secret says which KEK it needs, which makes rotation possible) and never printed.
 */
public final class KeyEncryptionKey {

    private static final int KEY_BYTES = 32;

    private final SecretKey key;
    private final String id;

    private KeyEncryptionKey(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key-encryption key must be " + KEY_BYTES + " bytes, got " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
        this.id = idOf(raw);
        Arrays.fill(raw, (byte) 0);
    }

    /** Reads a base64 (standard or URL-safe) encoded 32-byte key. */
    public static KeyEncryptionKey fromBase64(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("the key-encryption key is not configured");
        }
        String trimmed = base64.trim();
        byte[] raw;
        try {
            raw = trimmed.contains("-") || trimmed.contains("_")
                    ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key-encryption key is not valid base64");
        }
        return new KeyEncryptionKey(raw);
    }

    /** A key from raw bytes (copied; the caller may wipe its array). */
    public static KeyEncryptionKey of(byte[] raw) {
        return new KeyEncryptionKey(raw.clone());
    }

    /** A short identifier derived from the key (a truncated SHA-256, safe to store and log). */
    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return key;
    }

    private static String idOf(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("certflow-kek-id:".getBytes(StandardCharsets.US_ASCII));
            byte[] digest = sha.digest(raw);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[id=" + id + "]";
    }
}
