package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * One issued version of a managed certificate, kept as history across renewals.
 *
 * @param serialNumber      the leaf serial
 * @param notBefore         validity start
 * @param notAfter          validity end
 * @param issuedAt          when issuance-service reported it
 * @param fingerprintSha256 SHA-256 of the leaf
 */
public record CertificateVersion(String serialNumber, Instant notBefore, Instant notAfter, Instant issuedAt,
                                 String fingerprintSha256) {
}
