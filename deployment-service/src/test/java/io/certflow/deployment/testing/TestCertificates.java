package io.certflow.deployment.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Certificates for tests, made with BouncyCastle: a small CA and leaves with chosen serials and names,
 * as PEM like issuance-service hands them out.
 */
public final class TestCertificates {

    private static final TestCertificates.Issued CA = createCa();

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
            KeyPair keyPair = ecKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=certflow test CA"), serial,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(90))),
                    new X500Name("CN=" + names[0]), keyPair.getPublic());
            GeneralName[] sans = java.util.Arrays.stream(names)
                    .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.keyPair().getPrivate())));
            return new Issued(certificate, keyPair, pem(certificate) + pem(CA.certificate()), pkcs8(keyPair));
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

    private static Issued createCa() {
        try {
            KeyPair keyPair = ecKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=certflow test CA"), BigInteger.ONE,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name("CN=certflow test CA"), keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new Issued(certificate, keyPair, pem(certificate), pkcs8(keyPair));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static String pkcs8(KeyPair keyPair) throws Exception {
        return pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate());
    }

    /** The names of a certificate, for assertions. */
    public static List<String> names(Issued issued) {
        return io.certflow.deployment.target.ServedCertificate.of(issued.certificate()).dnsNames();
    }
}
