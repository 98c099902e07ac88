package io.certflow.platform.secrets;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeEncryptionTest {

    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY-----top secret".getBytes(StandardCharsets.UTF_8);

    private final KeyEncryptionKey kek = randomKek();
    private final EnvelopeEncryption envelope = new EnvelopeEncryption(kek);

    @Test
    void opensWhatItSealed() {
        SealedSecret sealed = envelope.seal(SECRET, "certificate-key:c1");

        assertThat(envelope.open(sealed, "certificate-key:c1")).isEqualTo(SECRET);
        assertThat(sealed.keyId()).isEqualTo(kek.id());
        assertThat(sealed.scheme()).isEqualTo(SealedSecret.SCHEME);
    }

    @Test
    void everySecretHasItsOwnDataKeyAndNonce() {
        SealedSecret a = envelope.seal(SECRET, "ctx");
        SealedSecret b = envelope.seal(SECRET, "ctx");

        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
        assertThat(a.wrappedDataKey()).isNotEqualTo(b.wrappedDataKey());
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        SealedSecret sealed = envelope.seal(SECRET, "ctx");
        SealedSecret tampered = new SealedSecret(sealed.scheme(), sealed.keyId(), sealed.wrappedDataKey(),
                flipLastByte(sealed.ciphertext()));

        assertThatThrownBy(() -> envelope.open(tampered, "ctx")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void aTamperedWrappedDataKeyDoesNotOpen() {
        SealedSecret sealed = envelope.seal(SECRET, "ctx");
        SealedSecret tampered = new SealedSecret(sealed.scheme(), sealed.keyId(), flipLastByte(sealed.wrappedDataKey()),
                sealed.ciphertext());

        assertThatThrownBy(() -> envelope.open(tampered, "ctx")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void aSecretMovedToAnotherContextDoesNotOpen() {
        SealedSecret sealed = envelope.seal(SECRET, "certificate-key:c1");

        assertThatThrownBy(() -> envelope.open(sealed, "certificate-key:c2")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void aWrongKeyEncryptionKeyDoesNotOpen() {
        SealedSecret sealed = envelope.seal(SECRET, "ctx");
        EnvelopeEncryption other = new EnvelopeEncryption(randomKek());

        assertThatThrownBy(() -> other.open(sealed, "ctx"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void aForgedKeyIdWithTheWrongKeyDoesNotOpen() {
        KeyEncryptionKey other = randomKek();
        SealedSecret sealed = new EnvelopeEncryption(other).seal(SECRET, "ctx");
        SealedSecret relabelled = new SealedSecret(sealed.scheme(), kek.id(), sealed.wrappedDataKey(), sealed.ciphertext());

        assertThatThrownBy(() -> envelope.open(relabelled, "ctx")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void aPreviousKeyEncryptionKeyStillOpensAfterRotation() {
        SealedSecret sealedBefore = envelope.seal(SECRET, "ctx");
        KeyEncryptionKey next = randomKek();
        EnvelopeEncryption rotated = new EnvelopeEncryption(next, List.of(kek));

        assertThat(rotated.open(sealedBefore, "ctx")).isEqualTo(SECRET);
        assertThat(rotated.seal(SECRET, "ctx").keyId()).isEqualTo(next.id());
    }

    @Test
    void nothingPrintsThePlaintextOrTheKeys() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String rawBase64 = Base64.getEncoder().encodeToString(raw);
        KeyEncryptionKey configured = KeyEncryptionKey.fromBase64(rawBase64);
        EnvelopeEncryption e = new EnvelopeEncryption(configured);
        SealedSecret sealed = e.seal(SECRET, "ctx");

        for (String printed : List.of(sealed.toString(), configured.toString(), e.toString())) {
            assertThat(printed).doesNotContain(rawBase64).doesNotContain("top secret")
                    .doesNotContain(sealed.ciphertext()).doesNotContain(sealed.wrappedDataKey());
        }
        String stored = sealed.ciphertext() + sealed.wrappedDataKey();
        assertThat(new String(Base64.getDecoder().decode(sealed.ciphertext()), StandardCharsets.ISO_8859_1))
                .doesNotContain("top secret");
        assertThat(stored).doesNotContain(Base64.getEncoder().encodeToString(SECRET));
    }

    @Test
    void aKeyEncryptionKeyMustBe32Bytes() {
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64("")).hasMessageContaining("not configured");
        assertThatThrownBy(() -> KeyEncryptionKey.fromBase64("%%%")).hasMessageContaining("base64")
                .hasMessageNotContaining("%%%");
    }

    private static KeyEncryptionKey randomKek() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return KeyEncryptionKey.of(raw);
    }

    private static String flipLastByte(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[bytes.length - 1] ^= 0x01;
        return Base64.getEncoder().encodeToString(bytes);
    }
}
