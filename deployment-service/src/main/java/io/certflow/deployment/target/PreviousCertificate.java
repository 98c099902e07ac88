package io.certflow.deployment.target;

import java.util.Optional;

/**
 * What a resource had before a deployment replaced it, kept so that a failed deployment (or a later
 * decision) can put it back exactly. It holds key material: {@link #toString()} never shows it.
 *
 * @param certificateChainPem the previous chain, or null if the resource had none
 * @param privateKeyPem       the previous key, or null if the resource had none; never logged
 */
public record PreviousCertificate(String certificateChainPem, String privateKeyPem) {

    /** The resource had no certificate before. */
    public static PreviousCertificate none() {
        return new PreviousCertificate(null, null);
    }

    /** Whether there was a previous certificate. */
    public boolean present() {
        return certificateChainPem != null;
    }

    /** The previous leaf's serial, if there was one and it can be read. */
    public Optional<String> serialNumber() {
        if (certificateChainPem == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PemCertificates.serialHex(PemCertificates.parseChain(certificateChainPem).get(0)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "PreviousCertificate[serialNumber=" + serialNumber().orElse(present() ? "unreadable" : "none")
                + ", privateKeyPem=" + (privateKeyPem == null ? "none" : "<redacted>") + "]";
    }
}
