package io.certflow.deployment.target;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The leaf a resource presents to clients, read back after a deployment: the proof that the resource serves
 * the certificate certflow deployed, and what the preview compares against.
 *
 * @param serialNumber lower-case hex without leading zeros
 * @param notAfter     validity end
 * @param dnsNames     the DNS subject alternative names
 */
public record ServedCertificate(String serialNumber, Instant notAfter, List<String> dnsNames) {

    public ServedCertificate {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
    }

    /** The facts of a certificate. */
    public static ServedCertificate of(X509Certificate certificate) {
        return new ServedCertificate(PemCertificates.serialHex(certificate),
                certificate.getNotAfter().toInstant(), dnsNames(certificate));
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable SANs: leave the list empty
        }
        return names;
    }
}
