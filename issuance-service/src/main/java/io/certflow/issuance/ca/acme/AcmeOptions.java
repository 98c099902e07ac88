package io.certflow.issuance.ca.acme;

import io.certflow.issuance.ca.ExternalAccountBinding;

/**
 * What one ACME CA profile asks of its CA beyond the directory: the external account binding for new
 * accounts, the preferred chain (by the issuer name of its topmost certificate, certbot's rule) and the
 * ACME profile (draft-ietf-acme-profiles) of every new order. Exists so that the adapter's constructor
 * stays readable as the options grow.
 *
 * @param externalAccountBinding the binding sent with new accounts, or null
 * @param preferredChain         the issuer common name the chosen chain should end at, or null for the CA's default
 * @param acmeProfile            the ACME profile name sent with new orders, or null
 */
public record AcmeOptions(ExternalAccountBinding externalAccountBinding, String preferredChain, String acmeProfile) {

    /** No binding, the default chain, no ACME profile. */
    public static final AcmeOptions NONE = new AcmeOptions(null, null, null);

    public AcmeOptions {
        preferredChain = blankToNull(preferredChain);
        acmeProfile = blankToNull(acmeProfile);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
