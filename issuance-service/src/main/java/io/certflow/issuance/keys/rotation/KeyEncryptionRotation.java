package io.certflow.issuance.keys.rotation;

import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.SecretDecryptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rotation of the key-encryption key: once a new KEK is configured (the old one moved to
 * {@code certflow.issuance.previous-key-encryption-keys}), every stored secret is re-sealed under the new one,
 * in batches, with a conditional write so that a concurrent change wins. Certificates are not re-issued and a
 * secret not yet re-sealed stays readable through the previous KEK; when {@link #status()} shows none left,
 * the previous KEK can be removed from the configuration.
 */
public class KeyEncryptionRotation {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryptionRotation.class);

    private final EnvelopeEncryption envelope;
    private final SealedSecrets secrets;
    private final int batchSize;

    public KeyEncryptionRotation(EnvelopeEncryption envelope, SealedSecrets secrets, int batchSize) {
        this.envelope = envelope;
        this.secrets = secrets;
        this.batchSize = batchSize;
    }

    /** Where the rotation stands. */
    public record Status(String currentKeyId, Map<String, Long> sealedUnderOlderKeys) {
        public long remaining() {
            return sealedUnderOlderKeys.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The result of one pass. */
    public record Pass(int resealed, int changedMeanwhile, int unreadable) {
    }

    public Status status() {
        return new Status(envelope.currentKeyId(), new TreeMap<>(secrets.countUnderOtherKeys(envelope.currentKeyId())));
    }

    /**
     * Re-seals one batch of secrets of each kind sealed under a previous KEK. A secret whose KEK is not
     * configured at all is not touched here; {@link #status()} still counts it.
     */
    public Pass resealBatch() {
        int resealed = 0;
        int changed = 0;
        int unreadable = 0;
        for (SealedSecrets.Stored stored : secrets.sealedUnder(envelope.previousKeyIds(), batchSize)) {
            try {
                var fresh = envelope.resealUnderCurrentKey(stored.sealed(), stored.context());
                if (fresh.isEmpty()) {
                    continue;
                }
                if (secrets.replaceIfUnchanged(stored, fresh.get())) {
                    resealed++;
                } else {
                    changed++;
                }
            } catch (SecretDecryptionException e) {
                unreadable++;
                log.warn("cannot re-seal {}: {}", stored, e.getMessage());
            }
        }
        if (resealed + changed + unreadable > 0) {
            log.info("key-encryption key rotation: re-sealed {} secrets under {} ({} changed meanwhile, {} unreadable)",
                    resealed, envelope.currentKeyId(), changed, unreadable);
        }
        return new Pass(resealed, changed, unreadable);
    }

    /** Re-seals until nothing is left that can be re-sealed; returns the total of all passes. */
    public Pass resealAll() {
        int resealed = 0;
        int changed = 0;
        int unreadable;
        while (true) {
            Pass pass = resealBatch();
            resealed += pass.resealed();
            changed += pass.changedMeanwhile();
            unreadable = pass.unreadable();
            if (pass.resealed() == 0) {
                return new Pass(resealed, changed, unreadable);
            }
        }
    }
}
