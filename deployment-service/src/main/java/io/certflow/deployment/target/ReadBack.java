package io.certflow.deployment.target;

import java.util.Optional;

/**
 * The answer to "what does this resource serve now?": a certificate, or the reason it could not be told
 * (connection refused, handshake failed…). A read-back never throws, because "could not tell" is an answer
 * a person needs to see.
 *
 * @param served        the served leaf, or null
 * @param failureReason why nothing could be read, or null
 */
public record ReadBack(ServedCertificate served, String failureReason) {

    /** The resource serves this certificate. */
    public static ReadBack of(ServedCertificate served) {
        return new ReadBack(served, null);
    }

    /** What is served could not be told. */
    public static ReadBack unknown(String reason) {
        return new ReadBack(null, reason);
    }

    /** Whether a certificate was read. */
    public boolean known() {
        return served != null;
    }

    /** The served serial, if a certificate was read. */
    public Optional<String> serialNumber() {
        return Optional.ofNullable(served).map(ServedCertificate::serialNumber);
    }

    /** For people: the served serial, or why it is not known. */
    public String describe() {
        return known() ? "serves " + served.serialNumber() : "could not read what is served: " + failureReason;
    }
}
