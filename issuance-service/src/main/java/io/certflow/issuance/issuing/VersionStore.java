package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.CertificateVersion;

import java.util.Optional;

/**
 * Where issued versions go. Exists so that the state machine can store a version (idempotently, before
 * the attempt is marked issued) and find the chain a renewal replaces, without a database in unit tests.
 */
public interface VersionStore {

    /** Stores the version unless a version with its id exists already. */
    void store(CertificateVersion version);

    /** The stored version, if any (its private key stays sealed). */
    Optional<CertificateVersion> find(String certificateId, String serialNumber);

    /** The chain PEM of a stored version, if there is one. */
    default Optional<String> chainPem(String certificateId, String serialNumber) {
        return find(certificateId, serialNumber).map(CertificateVersion::getCertificateChainPem);
    }
}
