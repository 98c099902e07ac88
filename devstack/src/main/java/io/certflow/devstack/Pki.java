package io.certflow.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The few certificates the stack needs before any ACME issuance: Pebble's HTTPS listener (a local CA and a
 * {@code localhost} certificate it signs) and the self-signed certificate nginx serves until the first deployment.
 */
public final class Pki {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki() {
    }

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey) {
    }

    public static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new DevstackException("cannot create an EC key pair", e);
        }
    }

    /** A self-signed CA certificate. */
    public static Issued newCa(String commonName, Duration validity) {
        KeyPair kp = newEcKeyPair();
        X500Name name = new X500Name("CN=" + commonName + ",O=certflow devstack");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, kp, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new Issued(sign(b, kp.getPrivate()), kp.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new DevstackException("cannot create a CA certificate", e);
        }
    }

    /**
     * A TLS server certificate for the given DNS names and IP addresses, signed by {@code issuer},
     * or self-signed when {@code issuer} is null.
     */
    public static Issued newServerCertificate(Issued issuer, List<String> dnsNames, List<String> ipAddresses,
                                              Duration validity) {
        KeyPair kp = newEcKeyPair();
        X500Name subject = new X500Name("CN=" + dnsNames.get(0));
        X500Name issuerName = issuer == null ? subject
                : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        List<GeneralName> sans = new ArrayList<>();
        dnsNames.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
        ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(issuerName, subject, kp, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.certificate()));
            }
            return new Issued(sign(b, issuer == null ? kp.getPrivate() : issuer.privateKey()), kp.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new DevstackException("cannot create a server certificate", e);
        }
    }

    /** PEM of certificates (CERTIFICATE blocks) and keys (PKCS#8 PRIVATE KEY blocks). */
    public static String toPem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    w.writeObject(new JcaPKCS8Generator(key, null));
                } else {
                    w.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new DevstackException("cannot write PEM", e);
        }
        return out.toString();
    }

    /** Writes PEM; a private key file is readable by its owner only. */
    public static void writePem(Path file, Object... objects) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toPem(objects));
        boolean hasKey = false;
        for (Object o : objects) {
            hasKey |= o instanceof PrivateKey;
        }
        if (hasKey) {
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
    }

    /** All certificates in a PEM file. */
    public static List<X509Certificate> readCertificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (IOException | GeneralSecurityException e) {
            throw new DevstackException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** An SSLContext that trusts exactly the certificates in a PEM file (not the JVM's default trust store). */
    public static SSLContext sslContextTrusting(Path caPem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : readCertificates(caPem)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new DevstackException("cannot build a trust store from " + caPem, e);
        }
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).setBit(126),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, kp.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
