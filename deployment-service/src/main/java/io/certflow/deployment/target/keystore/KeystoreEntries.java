package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.PreviousCertificate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keystore contents with the JDK alone: opening a keystore file's bytes in the configured format, reading and
 * replacing the one entry certflow owns, and turning PEM (what issuance-service hands out) into the key and
 * chain a {@link KeyStore} takes and back. No message it makes holds a password or key material.
 */
final class KeystoreEntries {

    private static final Pattern PKCS8_PEM =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Map<String, String> PROOF_SIGNATURES =
            Map.of("EC", "SHA256withECDSA", "RSA", "SHA256withRSA", "EdDSA", "EdDSA", "Ed25519", "Ed25519");

    private KeystoreEntries() {
    }

    /**
     * A keystore that can be changed: the file's content, or an empty keystore if there is none.
     *
     * @param content the file's bytes, or null if there is no file
     * @throws KeystoreProblem if the content is of another format or does not open with the password
     */
    static KeyStore open(byte[] content, KeystoreConfig config, char[] storePassword) throws KeystoreProblem {
        try {
            KeyStore keyStore = KeyStore.getInstance(config.format().name());
            if (content == null) {
                keyStore.load(null, storePassword);
                return keyStore;
            }
            Optional<KeystoreFormat> found = KeystoreFormat.detect(content);
            if (found.isEmpty()) {
                throw new KeystoreProblem(config.path() + " is not a PKCS12 or JKS keystore");
            }
            if (found.get() != config.format()) {
                throw new KeystoreProblem(config.path() + " is a " + found.get() + " keystore but 'format' is "
                        + config.format() + ": change 'format' or move the file away");
            }
            keyStore.load(new ByteArrayInputStream(content), storePassword);
            return keyStore;
        } catch (IOException e) {
            String why = e.getCause() instanceof UnrecoverableKeyException
                    ? "the credential's storePassword is not this keystore's password" : e.getMessage();
            throw new KeystoreProblem("cannot open " + config.path() + " as " + config.format() + ": " + why);
        } catch (GeneralSecurityException e) {
            throw new KeystoreProblem("cannot open " + config.path() + " as " + config.format() + ": " + e.getMessage());
        }
    }

    /** The keystore's file content. */
    static byte[] toBytes(KeyStore keyStore, char[] storePassword) throws KeystoreProblem {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore.store(out, storePassword);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new KeystoreProblem("cannot write the keystore: " + e.getMessage());
        }
    }

    /**
     * What the entry at {@code alias} holds now, as PEM, for a later restore.
     *
     * @return {@link PreviousCertificate#none()} if there is no such entry
     * @throws KeystoreProblem if the entry is not a key entry, or its key does not open with the key password
     */
    static PreviousCertificate entry(KeyStore keyStore, String alias, char[] keyPassword) throws KeystoreProblem {
        try {
            if (!keyStore.containsAlias(alias)) {
                return PreviousCertificate.none();
            }
            if (!keyStore.isKeyEntry(alias)) {
                throw new KeystoreProblem("the entry '" + alias + "' is not a private key entry (a trusted "
                        + "certificate?); certflow replaces key entries only: choose another 'alias'");
            }
            Key key = keyStore.getKey(alias, keyPassword);
            Certificate[] chain = keyStore.getCertificateChain(alias);
            if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
                throw new KeystoreProblem("the entry '" + alias + "' holds no private key with a certificate chain");
            }
            return new PreviousCertificate(pem(List.of(chain)), pem((PrivateKey) key));
        } catch (UnrecoverableKeyException e) {
            throw new KeystoreProblem("the key of entry '" + alias + "' does not open with the credential's "
                    + "keyPassword (or storePassword when no keyPassword is given)");
        } catch (GeneralSecurityException e) {
            throw new KeystoreProblem("cannot read the entry '" + alias + "': " + e.getMessage());
        }
    }

    /** Puts {@code chain} and {@code key} at {@code alias}, replacing what was there. */
    static void put(KeyStore keyStore, String alias, PrivateKey key, char[] keyPassword, List<X509Certificate> chain)
            throws KeystoreProblem {
        try {
            keyStore.setKeyEntry(alias, key, keyPassword, chain.toArray(Certificate[]::new));
        } catch (GeneralSecurityException e) {
            throw new KeystoreProblem("cannot put the certificate in the keystore: " + e.getMessage());
        }
    }

    /** The leaf certificate at {@code alias}, after checking that its key opens with the key password. */
    static X509Certificate leaf(KeyStore keyStore, String alias, char[] keyPassword) throws KeystoreProblem {
        try {
            if (!keyStore.isKeyEntry(alias)) {
                throw new KeystoreProblem("the keystore has no private key entry '" + alias + "'");
            }
            keyStore.getKey(alias, keyPassword);
            if (!(keyStore.getCertificate(alias) instanceof X509Certificate leaf)) {
                throw new KeystoreProblem("the entry '" + alias + "' has no X.509 certificate");
            }
            return leaf;
        } catch (UnrecoverableKeyException e) {
            throw new KeystoreProblem("the key of entry '" + alias + "' does not open with the key password");
        } catch (GeneralSecurityException e) {
            throw new KeystoreProblem("cannot read the entry '" + alias + "': " + e.getMessage());
        }
    }

    /**
     * The private key of a PKCS#8 PEM block ({@code BEGIN PRIVATE KEY}, as issuance-service writes it).
     *
     * @throws KeystoreProblem if it is not one, or is of an algorithm the JDK does not know
     */
    static PrivateKey privateKey(String pem) throws KeystoreProblem {
        if (pem == null) {
            throw new KeystoreProblem("there is no private key");
        }
        Matcher m = PKCS8_PEM.matcher(pem);
        if (!m.find()) {
            throw new KeystoreProblem("the private key is not a PKCS#8 PEM block (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new KeystoreProblem("the private key's PEM block is not Base64");
        }
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new KeystoreProblem("the private key cannot be read (not an EC, RSA or EdDSA PKCS#8 key)");
    }

    /**
     * Whether {@code key} belongs to {@code publicKey}: a signature made with the one verifies with the other. A
     * key of another certificate would make the server fail its handshakes, so it is refused before anything is
     * written. Keys of algorithms without a known signature pass.
     */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = PROOF_SIGNATURES.get(key.getAlgorithm());
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(challenge);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(challenge);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Certificates as PEM, in order. */
    static String pem(List<? extends Certificate> certificates) throws KeystoreProblem {
        StringBuilder out = new StringBuilder();
        try {
            for (Certificate certificate : certificates) {
                out.append(block("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new KeystoreProblem("cannot encode a certificate of the keystore: " + e.getMessage());
        }
        return out.toString();
    }

    /** A private key as a PKCS#8 PEM block. */
    static String pem(PrivateKey key) throws KeystoreProblem {
        if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new KeystoreProblem("the keystore's private key cannot be exported as PKCS#8");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    /** Why a keystore could not be read or written; the message is for people and holds no secret. */
    static final class KeystoreProblem extends Exception {
        KeystoreProblem(String message) {
            super(message, null, false, false);
        }
    }
}
