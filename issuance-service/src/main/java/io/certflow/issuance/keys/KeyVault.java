package io.certflow.issuance.keys;

import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.SealedSecret;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Seals and opens private keys (certificate keys and ACME account keys) with
 * {@link EnvelopeEncryption}. Exists so that the rest of the service handles keys only as
 * {@link SealedSecret}s at rest and as JCA objects in memory, never as plaintext bytes in documents.
 */
public final class KeyVault {

    private final EnvelopeEncryption envelope;

    public KeyVault(EnvelopeEncryption envelope) {
        this.envelope = envelope;
    }

    /** Seals a private key (its PKCS#8 encoding) for {@code context}. */
    public SealedSecret seal(PrivateKey key, String context) {
        byte[] pkcs8 = key.getEncoded();
        try {
            return envelope.seal(pkcs8, context);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Opens a private key of the given JCA algorithm ({@code EC}, {@code RSA}) sealed for {@code context}. */
    public PrivateKey openPrivateKey(SealedSecret sealed, String algorithm, String context) {
        byte[] pkcs8 = envelope.open(sealed, context);
        try {
            return KeyEncoding.privateKey(algorithm, pkcs8);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Opens a key pair whose public half is stored in the clear (X.509 DER) beside the sealed private key. */
    public KeyPair openKeyPair(SealedSecret sealedPrivate, byte[] publicKeyDer, String algorithm, String context) {
        PublicKey publicKey = KeyEncoding.publicKey(algorithm, publicKeyDer);
        return new KeyPair(publicKey, openPrivateKey(sealedPrivate, algorithm, context));
    }

    @Override
    public String toString() {
        return "KeyVault[" + envelope + "]";
    }
}
