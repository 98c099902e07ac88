package io.certflow.deployment.deploying;

import io.certflow.deployment.target.CertificateBundle;

/**
 * Where a certificate version's chain and private key come from. Keys never travel in events, so the
 * deployment runner asks issuance-service for them just before deploying; the port keeps the runner
 * independent of how.
 */
public interface CertificateSource {

    /**
     * The chain and key of one version.
     *
     * @throws CertificateUnavailableException if it cannot be had now (retryable) or at all
     */
    CertificateBundle fetch(String certificateId, String serialNumber);
}
