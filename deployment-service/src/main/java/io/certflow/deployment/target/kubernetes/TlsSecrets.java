package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.ReadBack;
import io.certflow.deployment.target.ServedCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What certflow reads from and writes into a {@code kubernetes.io/tls} Secret: the chain in {@code tls.crt}, the
 * key in {@code tls.key}, and the marks that tell people (and a later restore) that certflow manages it. Other
 * keys of the Secret ({@code ca.crt}…) and its other labels and annotations are kept as they are.
 */
final class TlsSecrets {

    /** The Secret type Ingresses and gateways read certificates from. */
    static final String TLS_TYPE = "kubernetes.io/tls";
    /** The chain, leaf first. */
    static final String CERTIFICATE = "tls.crt";
    /** The private key. */
    static final String KEY = "tls.key";
    /** Label (and annotation) on every Secret certflow wrote, selectable with {@code -l certflow.io/managed-by}. */
    static final String MANAGED_BY = "certflow.io/managed-by";
    /** Annotation: the serial certflow put in {@code tls.crt}, lower-case hex. */
    static final String SERIAL = "certflow.io/serial";
    /** Annotation: certflow created the Secret, so restoring "no certificate" deletes it. */
    static final String CREATED = "certflow.io/created-by-certflow";

    private static final String CERTFLOW = "certflow";
    private static final String CERT_MANAGER = "cert-manager.io/certificate-name";

    private TlsSecrets() {
    }

    /** Why certflow must not write into this Secret, if it must not; empty for none (absent) or a TLS Secret. */
    static Optional<String> refusal(Secret secret, SecretLocation location) {
        if (secret == null) {
            return Optional.empty();
        }
        if (!TLS_TYPE.equals(secret.getType())) {
            return Optional.of("Secret " + location + " is of type " + secret.getType() + ", not " + TLS_TYPE
                    + ": certflow writes only TLS Secrets, and leaves this one as it is");
        }
        if (Boolean.TRUE.equals(secret.getImmutable())) {
            return Optional.of("Secret " + location + " is immutable: it cannot take a new certificate");
        }
        String certificate = annotations(secret).get(CERT_MANAGER);
        if (certificate != null) {
            return Optional.of("Secret " + location + " belongs to cert-manager Certificate " + certificate
                    + ", which would overwrite certflow's certificate");
        }
        return Optional.empty();
    }

    /** The certificate and key the Secret holds now, kept to put them back; none if it holds no chain. */
    static PreviousCertificate previous(Secret secret) {
        String chain = text(secret, CERTIFICATE);
        return chain == null ? PreviousCertificate.none() : new PreviousCertificate(chain, text(secret, KEY));
    }

    /** The leaf in the Secret's {@code tls.crt}, or why there is none. */
    static ReadBack readBack(Secret secret, SecretLocation location) {
        if (secret == null) {
            return ReadBack.unknown("Secret " + location + " does not exist");
        }
        if (!TLS_TYPE.equals(secret.getType())) {
            return ReadBack.unknown("Secret " + location + " is of type " + secret.getType() + ", not " + TLS_TYPE);
        }
        String chain = text(secret, CERTIFICATE);
        if (chain == null) {
            return ReadBack.unknown("Secret " + location + " holds no certificate in " + CERTIFICATE);
        }
        try {
            return ReadBack.of(ServedCertificate.of(PemCertificates.parseChain(chain).get(0)));
        } catch (IllegalArgumentException e) {
            return ReadBack.unknown("the " + CERTIFICATE + " of Secret " + location + " cannot be read: " + e.getMessage());
        }
    }

    /** Whether certflow created the Secret (rather than taking over one that existed). */
    static boolean createdByCertflow(Secret secret) {
        return secret != null && "true".equals(annotations(secret).get(CREATED));
    }

    /**
     * The Secret as it should be: {@code current} (or a new TLS Secret when null) with this chain and key, marked
     * as certflow's, and carrying {@code current}'s resourceVersion, so that the API server refuses the write if
     * anyone changed the Secret in between.
     *
     * @param chainPem the chain for {@code tls.crt}; empty for none
     * @param keyPem   the key for {@code tls.key}; empty for none
     * @param serial   the chain's leaf serial, or null when there is none (or it cannot be read)
     */
    static Secret holding(Secret current, SecretLocation location, String chainPem, String keyPem, String serial) {
        SecretBuilder builder = current == null
                ? new SecretBuilder().withNewMetadata().withNamespace(location.namespace())
                        .withName(location.secretName()).addToAnnotations(CREATED, "true").endMetadata()
                        .withType(TLS_TYPE)
                : new SecretBuilder(current);
        Map<String, String> data = new LinkedHashMap<>(current == null || current.getData() == null ? Map.of() : current.getData());
        data.put(CERTIFICATE, base64(chainPem));
        data.put(KEY, base64(keyPem));
        builder.withData(data).withStringData(null)
                .editMetadata().addToLabels(MANAGED_BY, CERTFLOW).addToAnnotations(MANAGED_BY, CERTFLOW).endMetadata();
        if (serial == null) {
            builder.editMetadata().removeFromAnnotations(SERIAL).endMetadata();
        } else {
            builder.editMetadata().addToAnnotations(SERIAL, serial).endMetadata();
        }
        return builder.build();
    }

    /** The decoded value of a data key, or null if it is missing or empty. */
    static String text(Secret secret, String key) {
        if (secret == null || secret.getData() == null) {
            return null;
        }
        String encoded = secret.getData().get(key);
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
            return decoded.isBlank() ? null : decoded;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> annotations(Secret secret) {
        Map<String, String> annotations = secret.getMetadata() == null ? null : secret.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
