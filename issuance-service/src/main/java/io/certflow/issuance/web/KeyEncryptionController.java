package io.certflow.issuance.web;

import io.certflow.issuance.keys.rotation.KeyEncryptionRotation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The operator's view of the key-encryption key rotation ({@code /internal/**}: the service token): which KEK
 * seals new secrets, how many stored secrets are still sealed under older ones (per kind), and a way to
 * re-seal them all now instead of waiting for the background job. When the count is zero, the previous KEK
 * can be removed from {@code certflow.issuance.previous-key-encryption-keys}. Shows key ids only, never keys.
 */
@RestController
public class KeyEncryptionController {

    private final KeyEncryptionRotation rotation;

    public KeyEncryptionController(KeyEncryptionRotation rotation) {
        this.rotation = rotation;
    }

    /** The rotation's state. */
    public record RotationView(String currentKeyId, Map<String, Long> sealedUnderOlderKeys, long remaining) {
        static RotationView of(KeyEncryptionRotation.Status s) {
            return new RotationView(s.currentKeyId(), s.sealedUnderOlderKeys(), s.remaining());
        }
    }

    /** The result of a re-seal run, with the state after it. */
    public record ResealView(int resealed, int changedMeanwhile, int unreadable, RotationView status) {
    }

    @GetMapping("/internal/v1/key-encryption")
    public RotationView status() {
        return RotationView.of(rotation.status());
    }

    @PostMapping("/internal/v1/key-encryption/reseal")
    public ResealView reseal() {
        KeyEncryptionRotation.Pass pass = rotation.resealAll();
        return new ResealView(pass.resealed(), pass.changedMeanwhile(), pass.unreadable(), RotationView.of(rotation.status()));
    }
}
