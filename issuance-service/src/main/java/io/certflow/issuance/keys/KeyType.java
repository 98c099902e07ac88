package io.certflow.issuance.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Locale;

/**
 * The key types a certificate (or an ACME account) can have, as named in
 * {@code CertificateRequested.keyType}. Exists so that key generation and CSR signing agree on one
 * list; the default is {@link #EC_P256}.
 */
public enum KeyType {
    EC_P256("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA"),
    EC_P384("EC", new ECGenParameterSpec("secp384r1"), "SHA384withECDSA"),
    RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SHA256withRSA"),
    RSA_3072("RSA", new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), "SHA256withRSA"),
    RSA_4096("RSA", new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), "SHA256withRSA");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String algorithm;
    private final AlgorithmParameterSpec spec;
    private final String signatureAlgorithm;

    KeyType(String algorithm, AlgorithmParameterSpec spec, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.spec = spec;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The type named {@code name} (case-insensitive), or {@link #EC_P256} when absent or blank. */
    public static KeyType parse(String name) {
        if (name == null || name.isBlank()) {
            return EC_P256;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported key type '" + name + "'", e);
        }
    }

    /** The type of an existing public key, if it is one of the list (the curve or modulus size decides). */
    public static java.util.Optional<KeyType> of(java.security.PublicKey key) {
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return java.util.Arrays.stream(values()).filter(t -> t.spec instanceof RSAKeyGenParameterSpec r
                    && r.getKeysize() == bits).findFirst();
        }
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return java.util.Optional.ofNullable(bits == 256 ? EC_P256 : bits == 384 ? EC_P384 : null);
        }
        return java.util.Optional.empty();
    }

    /** JCA key algorithm ({@code EC} or {@code RSA}). */
    public String algorithm() {
        return algorithm;
    }

    /** The signature algorithm a CSR of this key is signed with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** A fresh key pair of this type. */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(spec, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + name() + " key pair", e);
        }
    }
}
