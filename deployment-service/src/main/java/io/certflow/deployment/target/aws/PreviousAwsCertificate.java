package io.certflow.deployment.target.aws;

import io.certflow.deployment.target.PreviousCertificate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an AWS resource used before a deployment, carried in a {@link PreviousCertificate} so that
 * {@link io.certflow.deployment.target.DeploymentTarget#restore} can put it back: AWS resources reference a
 * certificate (an ACM ARN, CloudFront's viewer settings) rather than hold files, so the reference travels as RFC 7468
 * explanatory text ({@code certflow-aws-previous: key=value …}) before the previous certificate's PEM (when ACM gave
 * it), which PEM readers skip. There is never a private key: ACM does not hand keys back, and none is needed.
 */
final class PreviousAwsCertificate {

    private static final String PREFIX = "certflow-aws-previous:";

    private PreviousAwsCertificate() {
    }

    /** A previous certificate holding {@code reference} and, if known, the PEM of the certificate it names. */
    static PreviousCertificate of(Map<String, String> reference, Optional<String> pem) {
        StringBuilder text = new StringBuilder(PREFIX);
        reference.forEach((k, v) -> {
            if (v != null) {
                text.append(' ').append(k).append('=').append(v);
            }
        });
        text.append('\n');
        pem.ifPresent(text::append);
        return new PreviousCertificate(text.toString(), null);
    }

    /** The reference a deployment recorded, or empty if {@code previous} was not made by an AWS target. */
    static Optional<Map<String, String>> reference(PreviousCertificate previous) {
        if (previous == null || previous.certificateChainPem() == null) {
            return Optional.empty();
        }
        for (String line : previous.certificateChainPem().split("\n")) {
            if (line.startsWith(PREFIX)) {
                Map<String, String> reference = new LinkedHashMap<>();
                for (String pair : line.substring(PREFIX.length()).strip().split(" +")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        reference.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                return Optional.of(reference);
            }
        }
        return Optional.empty();
    }
}
