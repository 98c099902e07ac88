package io.certflow.issuance.keys;

import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.platform.secrets.SealedSecret;
import io.certflow.platform.secrets.SecretDecryptionException;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyVaultTest {

    private final KeyVault vault = new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(random32())));

    @Test
    void aSealedPrivateKeyOpensToTheSameKey() throws Exception {
        KeyPair pair = KeyType.EC_P256.generate();
        SealedSecret sealed = vault.seal(pair.getPrivate(), "certificate-key:c1:a1");

        KeyPair opened = vault.openKeyPair(sealed, pair.getPublic().getEncoded(), "EC", "certificate-key:c1:a1");

        assertThat(opened.getPrivate().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(opened.getPrivate());
        signer.update(new byte[]{1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(new byte[]{1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void theSealedFormHoldsNoPlaintextKey() {
        KeyPair pair = KeyType.EC_P256.generate();
        SealedSecret sealed = vault.seal(pair.getPrivate(), "ctx");
        String pkcs8 = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());

        assertThat(sealed.ciphertext()).doesNotContain(pkcs8.substring(0, 40));
        assertThat(sealed.toString()).doesNotContain(pkcs8.substring(0, 20)).doesNotContain(sealed.ciphertext());
        assertThatThrownBy(() -> vault.openPrivateKey(sealed, "EC", "other")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void rsaKeysToo() {
        KeyPair pair = KeyType.RSA_2048.generate();
        SealedSecret sealed = vault.seal(pair.getPrivate(), "ctx");

        assertThat(vault.openPrivateKey(sealed, "RSA", "ctx").getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    private static byte[] random32() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return raw;
    }
}
