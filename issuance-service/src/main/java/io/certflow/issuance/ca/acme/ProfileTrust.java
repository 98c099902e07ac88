package io.certflow.issuance.ca.acme;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The TLS trust of one CA profile: an {@link SSLContext} whose only anchors are the certificates of a
 * PEM file (for Pebble, the CA that signed its {@code localhost} listener). Exists so that a test or
 * private CA is trusted for its own directory only, without touching the JVM's default trust store.
 */
final class ProfileTrust {

    private ProfileTrust() {
    }

    /** An SSL context trusting exactly the certificates in {@code pem}. */
    static SSLContext trustingOnly(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no certificate in trusted-certificate file " + pem);
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                anchors.setCertificateEntry("ca-profile-anchor-" + i++, certificate);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted-certificate file " + pem + ": " + e.getMessage(), e);
        }
    }
}
