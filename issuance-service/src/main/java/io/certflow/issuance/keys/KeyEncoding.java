package io.certflow.issuance.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Encodings of keys: PKCS#8 and X.509 SubjectPublicKeyInfo DER, and PEM. Exists so that the vault,
 * the bundle endpoint and the tests write and read keys the same way.
 */
public final class KeyEncoding {

    private KeyEncoding() {
    }

    /** The private key as a PKCS#8 PEM block (label {@code PRIVATE KEY}). */
    public static String toPkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** A PEM block of {@code der} with the given label, lines of 64 characters. */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** The DER inside the first PEM block with the given label. */
    public static byte[] pemBody(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end, from + 1);
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("no PEM block " + label);
        }
        String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    /** Reads a PKCS#8 private key of the given algorithm ({@code EC} or {@code RSA}). */
    public static PrivateKey privateKey(String algorithm, byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 " + algorithm + " private key", e);
        }
    }

    /** Reads an X.509 SubjectPublicKeyInfo public key of the given algorithm. */
    public static PublicKey publicKey(String algorithm, byte[] x509) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 " + algorithm + " public key", e);
        }
    }
}
