package io.certflow.deployment.target;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is deployed: the certificate chain (leaf first) and its private key, both PEM. It exists so that key
 * material travels as one value that never prints itself: {@link #toString()} shows the leaf serial only.
 *
 * @param certificateChainPem leaf first, then intermediates
 * @param privateKeyPem       the leaf's private key; never logged
 */
public record CertificateBundle(String certificateChainPem, String privateKeyPem) {

    public CertificateBundle {
        Objects.requireNonNull(certificateChainPem, "certificateChainPem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    /** The parsed chain, leaf first. */
    public List<X509Certificate> chain() {
        return PemCertificates.parseChain(certificateChainPem);
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return chain().get(0);
    }

    /** The leaf serial, lower-case hex without leading zeros. */
    public String leafSerialNumber() {
        return PemCertificates.serialHex(leaf());
    }

    /**
     * Why this bundle cannot be deployed: the chain has no readable leaf, or the key is not a PEM private key.
     * Empty if it can.
     */
    public Optional<String> unusableReason() {
        try {
            leafSerialNumber();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (!privateKeyPem.contains("-----BEGIN") || !privateKeyPem.contains("PRIVATE KEY-----")) {
            return Optional.of("the private key is not a PEM private key");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        String serial;
        try {
            serial = leafSerialNumber();
        } catch (RuntimeException e) {
            serial = "unreadable";
        }
        return "CertificateBundle[serialNumber=" + serial + ", privateKeyPem=<redacted>]";
    }
}
