package io.certflow.devstack.bench;

import io.certflow.devstack.DevstackException;
import io.certflow.devstack.Pki;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A real certificate chain (leaf and its CA, EC P-256, made with {@link Pki}) and the facts
 * {@code CertificateIssued} carries about it, so that the events {@code ./certflow bench events} publishes say what
 * their PEM holds. One chain serves every event of a run: a new one per event would cost the bench a signature each.
 *
 * @param serialNumber      the leaf's serial, lower-case hex without leading zeros
 * @param fingerprintSha256 SHA-256 of the leaf's DER, lower-case hex
 */
record IssuedChain(String pem, String serialNumber, String fingerprintSha256, Instant notBefore, Instant notAfter,
                   List<String> domains, String issuer) {

    static IssuedChain create() {
        Pki.Issued ca = Pki.newCa("certflow bench events CA", Duration.ofDays(3650));
        List<String> names = List.of("*.events.bench.certflow.test", "events.bench.certflow.test");
        Pki.Issued leaf = Pki.newServerCertificate(ca, names, List.of(), Duration.ofDays(90));
        X509Certificate c = leaf.certificate();
        try {
            return new IssuedChain(Pki.toPem(c, ca.certificate()), c.getSerialNumber().toString(16),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())),
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), names,
                    c.getIssuerX500Principal().getName());
        } catch (GeneralSecurityException e) {
            throw new DevstackException("cannot describe the bench's certificate: " + e.getMessage(), e);
        }
    }
}
