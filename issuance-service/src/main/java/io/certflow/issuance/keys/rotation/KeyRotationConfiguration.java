package io.certflow.issuance.keys.rotation;

import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.issuance.persistence.MongoSealedSecrets;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Wires the rotation of the key-encryption key and runs it in the background: every
 * {@code certflow.issuance.key-rotation.interval} (default 10 minutes) one batch per kind of secret is
 * re-sealed under the current KEK. Does nothing while every secret already is.
 */
@Configuration(proxyBeanMethods = false)
public class KeyRotationConfiguration {

    @Bean
    public KeyEncryptionRotation keyEncryptionRotation(EnvelopeEncryption envelope, MongoTemplate mongo,
                                                       @Value("${certflow.issuance.key-rotation.batch-size:100}") int batchSize) {
        return new KeyEncryptionRotation(envelope, new MongoSealedSecrets(mongo), batchSize);
    }

    @Bean
    public KeyRotationJob keyRotationJob(KeyEncryptionRotation rotation, EnvelopeEncryption envelope) {
        return new KeyRotationJob(rotation, envelope);
    }

    /** The background pass; a no-op without previous KEKs. */
    public static class KeyRotationJob {
        private final KeyEncryptionRotation rotation;
        private final EnvelopeEncryption envelope;

        KeyRotationJob(KeyEncryptionRotation rotation, EnvelopeEncryption envelope) {
            this.rotation = rotation;
            this.envelope = envelope;
        }

        @Scheduled(initialDelayString = "${certflow.issuance.key-rotation.initial-delay:30s}",
                fixedDelayString = "${certflow.issuance.key-rotation.interval:10m}")
        public void run() {
            if (!envelope.previousKeyIds().isEmpty()) {
                rotation.resealBatch();
            }
        }
    }
}
