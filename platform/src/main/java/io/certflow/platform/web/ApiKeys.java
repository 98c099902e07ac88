package io.certflow.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Mints API keys and hashes them the way {@link ApiKeyFilter} compares them. Services store only the
 * hash ({@code certflow.security.api-keys.<name>.sha256}), so a leaked configuration does not leak keys.
 * A plain SHA-256 (no salt, no slow KDF) is right here because a key is a long random token (256 bits):
 * there is no dictionary to try, unlike a password. Run {@link #main} to mint one.
 */
public final class ApiKeys {

    /** Prefix of minted keys, so that a key found in a log or a repository is recognisable. */
    public static final String PREFIX = "cfk_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /**
     * A new key and its hash.
     *
     * @param key    the key to hand to the caller once (never stored by certflow)
     * @param sha256 what the services are configured with
     */
    public record NewKey(String key, String sha256) {
        @Override
        public String toString() {
            return "NewKey[sha256=" + sha256 + "]";
        }
    }

    /** A new random key (32 bytes from {@link SecureRandom}, base64url) and its SHA-256. */
    public static NewKey newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new NewKey(key, sha256(key));
    }

    /** The lower-case hex SHA-256 of the key's UTF-8 bytes. */
    public static String sha256(String key) {
        return HexFormat.of().formatHex(digest(key));
    }

    /**
     * The configured key whose hash is the presented key's, or null (also for a null or empty key). Every hash is
     * compared, in constant time, so the answer's timing says nothing about which keys exist.
     */
    public static Map.Entry<String, SecurityProperties.ApiKey> find(Map<String, SecurityProperties.ApiKey> configured,
                                                                     String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        byte[] digest = digest(presented);
        Map.Entry<String, SecurityProperties.ApiKey> found = null;
        for (Map.Entry<String, SecurityProperties.ApiKey> entry : configured.entrySet()) {
            if (MessageDigest.isEqual(HexFormat.of().parseHex(entry.getValue().sha256()), digest)) {
                found = entry;
            }
        }
        return found;
    }

    /** The SHA-256 of the key's UTF-8 bytes. */
    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Prints a new key and the configuration lines that accept it (the key is shown only here). */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "my-key";
        String account = args.length > 1 ? args[1] : "<account>";
        NewKey k = newKey();
        System.out.println("key:    " + k.key());
        System.out.println("sha256: " + k.sha256());
        System.out.println("certflow.security.api-keys." + name + ".sha256=" + k.sha256());
        System.out.println("certflow.security.api-keys." + name + ".account=" + account);
        System.out.println("certflow.security.api-keys." + name + ".role=OWNER");
    }
}
