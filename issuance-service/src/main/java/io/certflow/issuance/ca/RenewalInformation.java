package io.certflow.issuance.ca;

import java.util.Optional;

/**
 * Reads the renewal window a CA suggests for an issued certificate (RFC 9773 ACME Renewal Information).
 * Exists beside {@link CertificateAuthority} as its own small port, so that the ARI refresher and the
 * issuing state machine depend on this one question only and tests can answer it with a fake.
 *
 * <p>One short, bounded, unauthenticated GET; it never waits or retries by itself.
 */
@FunctionalInterface
public interface RenewalInformation {

    /** A CA without renewal information. */
    RenewalInformation NONE = (account, certificatePem) -> Optional.empty();

    /**
     * The CA's current advice for a certificate it issued.
     *
     * @param account        the account the certificate was ordered with (acme4j binds resources to a login;
     *                       the request itself is not signed)
     * @param certificatePem the certificate, PEM, leaf first (only the leaf identifies it)
     * @return empty when the CA's directory offers no {@code renewalInfo}
     * @throws CaException a {@link CaRefusedException} when the CA does not know the certificate (404) or
     *                     answered something that is not a window, a {@link CaTransientException} when
     *                     asking again later can succeed
     */
    Optional<RenewalAdvice> fetch(CaAccount account, String certificatePem) throws CaException;
}
