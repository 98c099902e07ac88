package io.certflow.platform.secrets;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Envelope encryption of secrets (private keys, ACME account keys, DNS and cloud credentials): each secret gets its own random
 * AES-256 data key; the secret is encrypted with it (AES-256-GCM) and the data key is wrapped by the
 * configured key-encryption key (AES-256-GCM). Both carry the caller's {@code context} as associated
 * data, so a sealed secret copied onto another record does not open there.
 *
 * <p>Exists so that a stolen database dump holds no usable key, and so that the KEK can be rotated:
 * secrets name the KEK id that sealed them and older KEKs can stay configured for opening.
 */
public final class EnvelopeEncryption {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyEncryptionKey current;
    private final Map<String, KeyEncryptionKey> byId = new LinkedHashMap<>();

    /**
     * @param current  the KEK that seals new secrets
     * @param previous older KEKs still accepted for opening
     */
    public EnvelopeEncryption(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {
        this.current = current;
        byId.put(current.id(), current);
        previous.forEach(k -> byId.putIfAbsent(k.id(), k));
    }

    public EnvelopeEncryption(KeyEncryptionKey current) {
        this(current, List.of());
    }

    /**
     * Seals named secrets (a credential's API token, secret key…) as one secret for {@code context}; the
     * serialized form is wiped once sealed.
     */
    public SealedSecret sealMap(Map<String, String> secrets, String context) {
        byte[] plaintext = SecretMaps.serialize(secrets);
        try {
            return seal(plaintext, context);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Opens what {@link #sealMap} sealed.
     *
     * @throws SecretDecryptionException if it does not open for {@code context}, or is not a sealed map
     */
    public Map<String, String> openMap(SealedSecret sealed, String context) {
        byte[] plaintext = open(sealed, context);
        try {
            return SecretMaps.parse(plaintext);
        } finally {
            java.util.Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Seals {@code plaintext} for {@code context} (e.g. {@code certificate-key:<id>}). */
    public SealedSecret seal(byte[] plaintext, String context) {
        SecretKey dataKey = newDataKey();
        byte[] rawDataKey = dataKey.getEncoded();
        try {
            byte[] ciphertext = encrypt(dataKey, plaintext, aad("data", current.id(), context));
            byte[] wrapped = encrypt(current.secretKey(), rawDataKey, aad("wrap", current.id(), context));
            return new SealedSecret(SealedSecret.SCHEME, current.id(),
                    Base64.getEncoder().encodeToString(wrapped), Base64.getEncoder().encodeToString(ciphertext));
        } finally {
            Arrays.fill(rawDataKey, (byte) 0);
        }
    }

    /**
     * Opens a secret sealed for {@code context}.
     *
     * @throws SecretDecryptionException if it was altered, belongs to another context, or needs a KEK
     *                                   that is not configured
     */
    public byte[] open(SealedSecret sealed, String context) {
        if (!SealedSecret.SCHEME.equals(sealed.scheme())) {
            throw new SecretDecryptionException("unknown sealing scheme " + sealed.scheme());
        }
        KeyEncryptionKey kek = byId.get(sealed.keyId());
        if (kek == null) {
            throw new SecretDecryptionException("secret was sealed with key-encryption key " + sealed.keyId()
                    + ", which is not configured");
        }
        byte[] rawDataKey = null;
        try {
            rawDataKey = decrypt(kek.secretKey(), Base64.getDecoder().decode(sealed.wrappedDataKey()),
                    aad("wrap", kek.id(), context));
            SecretKey dataKey = new SecretKeySpec(rawDataKey, "AES");
            return decrypt(dataKey, Base64.getDecoder().decode(sealed.ciphertext()), aad("data", kek.id(), context));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretDecryptionException("sealed secret failed authentication (altered, wrong context or wrong key)");
        } finally {
            if (rawDataKey != null) {
                Arrays.fill(rawDataKey, (byte) 0);
            }
        }
    }

    /**
     * The same secret sealed under the current KEK (a new data key), or empty when it already is: what
     * rotating the key-encryption key does to each stored secret, without touching the key inside.
     *
     * @throws SecretDecryptionException as {@link #open}
     */
    public java.util.Optional<SealedSecret> resealUnderCurrentKey(SealedSecret sealed, String context) {
        if (current.id().equals(sealed.keyId())) {
            return java.util.Optional.empty();
        }
        byte[] plaintext = open(sealed, context);
        try {
            return java.util.Optional.of(seal(plaintext, context));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The ids of the previous KEKs, which still open secrets but seal none. */
    public java.util.Set<String> previousKeyIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>(byId.keySet());
        ids.remove(current.id());
        return ids;
    }

    /** The id of the KEK that seals new secrets. */
    public String currentKeyId() {
        return current.id();
    }

    private static SecretKey newDataKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available", e);
        }
    }

    private static byte[] encrypt(SecretKey key, byte[] plaintext, byte[] aad) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private static byte[] decrypt(SecretKey key, byte[] nonceAndCiphertext, byte[] aad) throws GeneralSecurityException {
        if (nonceAndCiphertext.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
        cipher.updateAAD(aad);
        return cipher.doFinal(nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
    }

    private static byte[] aad(String purpose, String keyId, String context) {
        return (SealedSecret.SCHEME + "|" + purpose + "|" + keyId + "|" + context).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EnvelopeEncryption[current=" + current.id() + ", accepted=" + byId.keySet() + "]";
    }
}
