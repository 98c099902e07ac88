package io.certflow.deployment.target.haproxy;

import io.certflow.deployment.target.PreviousCertificate;

import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's certificate file format: the chain and the private key in one PEM, which is both what the
 * {@code crt} file holds and the payload of {@code set ssl cert}. Joins a chain and key into that form and
 * splits such a file back into certificates and the rest, so a deployment can keep what it replaced.
 *
 * <p>The runtime API ends a payload at the first empty line, so the text made here never has one.
 */
public final class CombinedPem {

    private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
    private static final String END_CERTIFICATE = "-----END CERTIFICATE-----";

    private CombinedPem() {
    }

    /** The chain followed by the key, {@code \n} line ends, no empty line, ending in one newline. */
    public static String join(String certificateChainPem, String privateKeyPem) {
        return normalize(certificateChainPem) + normalize(privateKeyPem);
    }

    /**
     * Splits a combined file: its certificate blocks become the chain, every other line (the key, DH
     * parameters…) the key part. A file without a certificate gives {@link PreviousCertificate#none()}-like
     * null chain so that nothing unreadable is mistaken for a certificate.
     */
    public static PreviousCertificate split(String combined) {
        if (combined == null) {
            return PreviousCertificate.none();
        }
        StringBuilder certificates = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        boolean inCertificate = false;
        for (String line : lines(combined)) {
            if (line.equals(BEGIN_CERTIFICATE)) {
                inCertificate = true;
            }
            (inCertificate ? certificates : rest).append(line).append('\n');
            if (line.equals(END_CERTIFICATE)) {
                inCertificate = false;
            }
        }
        return new PreviousCertificate(certificates.isEmpty() ? null : certificates.toString(),
                rest.isEmpty() ? null : rest.toString());
    }

    /** The text as the runtime API takes it: {@code \n} line ends, no blank line, a final newline. */
    static String normalize(String pem) {
        if (pem == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines(pem)) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r\n|\r|\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                lines.add(trimmed);
            }
        }
        return lines;
    }
}
