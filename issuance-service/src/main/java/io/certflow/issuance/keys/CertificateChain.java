package io.certflow.issuance.keys;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * A downloaded certificate chain (PEM, leaf first) and the facts certflow publishes about its leaf:
 * serial (lower-case hex without leading zeros), SHA-256 fingerprint, validity, names and issuer.
 * Exists so that {@code CertificateIssued}, the stored version and the bundle endpoint all derive
 * these facts one way.
 */
public final class CertificateChain {

    private final String pem;
    private final List<X509Certificate> certificates;

    private CertificateChain(String pem, List<X509Certificate> certificates) {
        this.pem = pem;
        this.certificates = List.copyOf(certificates);
    }

    /** Parses a PEM chain; fails when it holds no certificate. */
    public static CertificateChain parse(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> parsed =
                    factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> list = new ArrayList<>();
            for (java.security.cert.Certificate c : parsed) {
                list.add((X509Certificate) c);
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("the chain holds no certificate");
            }
            return new CertificateChain(pem, list);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate chain", e);
        }
    }

    /** The chain as PEM, leaf first. */
    public String pem() {
        return pem;
    }

    /** The leaf certificate. */
    public X509Certificate leaf() {
        return certificates.get(0);
    }

    /** All certificates, leaf first. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** The leaf serial, lower-case hex without leading zeros. */
    public String serialNumber() {
        return serialOf(leaf());
    }

    /** The serial of {@code certificate} as certflow writes it. */
    public static String serialOf(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    /** SHA-256 of the leaf's DER, lower-case hex. */
    public String fingerprintSha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The issuer's distinguished name (RFC 2253). */
    public String issuer() {
        return leaf().getIssuerX500Principal().getName(X500Principal.RFC2253);
    }

    /** The DNS names of the leaf's subjectAltName extension. */
    public List<String> dnsNames() {
        try {
            Collection<List<?>> sans = leaf().getSubjectAlternativeNames();
            if (sans == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (List<?> san : sans) {
                if (Integer.valueOf(2).equals(san.get(0))) {
                    names.add((String) san.get(1));
                }
            }
            return names;
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("unreadable subjectAltName", e);
        }
    }

    @Override
    public String toString() {
        return "CertificateChain[serial=" + serialNumber() + ", " + certificates.size() + " certificates]";
    }
}
