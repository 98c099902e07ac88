package io.certflow.deployment.testing;

import io.certflow.devstack.Pki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Certificates for tests: leaves with chosen serials and names issued by a test CA (devstack's {@link Pki}),
 * as PEM like issuance-service hands them out.
 */
public final class TestCertificates {

    private static final Pki.Issued CA = Pki.newCa("certflow test CA", Duration.ofDays(365));

    private TestCertificates() {
    }

    /** A certificate with its key and chain in PEM. */
    public record Issued(X509Certificate certificate, KeyPair keyPair, String chainPem, String keyPem) {
        public String serialHex() {
            return certificate.getSerialNumber().toString(16);
        }
    }

    /** A leaf for {@code names}, with {@code serial}, issued by the test CA; chain = leaf + CA. */
    public static Issued leaf(BigInteger serial, String... names) {
        try {
            KeyPair keyPair = Pki.newEcKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(CA.certificate().getSubjectX500Principal().getEncoded()), serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(90))),
                    new X500Name("CN=" + names[0]), keyPair.getPublic());
            GeneralName[] sans = Arrays.stream(names)
                    .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.privateKey())));
            return new Issued(certificate, keyPair, Pki.toPem(certificate, CA.certificate()), Pki.toPem(keyPair.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random positive serial, like a CA's. */
    public static BigInteger randomSerial() {
        return new BigInteger(64, new java.security.SecureRandom()).setBit(63);
    }

    /** A PEM block that looks like a private key but is not one. */
    public static String garbageKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5IGF0IGFsbCwganVzdCBnYXJiYWdlIGJ5dGVzIGZvciB0aGUgdGVzdA==\n"
                + "-----END PRIVATE KEY-----\n";
    }

    /** The names of a certificate, for assertions. */
    public static List<String> names(Issued issued) {
        return io.certflow.deployment.target.ServedCertificate.of(issued.certificate()).dnsNames();
    }
}
