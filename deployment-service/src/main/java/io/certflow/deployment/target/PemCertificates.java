package io.certflow.deployment.target;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads PEM certificate chains with the JDK alone and writes serial numbers in the one form certflow uses
 * everywhere (lower-case hex without leading zeros, as in {@code CertificateIssued}).
 */
public final class PemCertificates {

    private PemCertificates() {
    }

    /**
     * The certificates of a PEM chain, in file order.
     *
     * @throws IllegalArgumentException if it holds no certificate or one cannot be read
     */
    public static List<X509Certificate> parseChain(String pem) {
        if (pem == null || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("the certificate chain holds no PEM certificate");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> certificates =
                    factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> chain = new ArrayList<>();
            for (java.security.cert.Certificate c : certificates) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the certificate chain holds no PEM certificate");
            }
            return List.copyOf(chain);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate chain cannot be read: " + e.getMessage(), e);
        }
    }

    /** A serial number as certflow writes it: lower-case hex, no leading zeros. */
    public static String serialHex(X509Certificate certificate) {
        return serialHex(certificate.getSerialNumber());
    }

    /** A serial number as certflow writes it: lower-case hex, no leading zeros. */
    public static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }

    /** Normalizes a serial given by a person or another system (upper case, colons, leading zeros). */
    public static String normalizeSerial(String serial) {
        if (serial == null) {
            return null;
        }
        String hex = serial.replace(":", "").trim();
        try {
            return new BigInteger(hex, 16).toString(16);
        } catch (NumberFormatException e) {
            return hex.toLowerCase(java.util.Locale.ROOT);
        }
    }
}
