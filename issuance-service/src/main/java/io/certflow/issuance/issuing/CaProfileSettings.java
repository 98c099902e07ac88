package io.certflow.issuance.issuing;

import io.certflow.issuance.caa.CaaIdentities;
import io.certflow.issuance.keys.KeyType;

import java.util.Objects;
import java.util.Optional;

/**
 * What a CA profile is configured with beyond its directory and CA port, in the words the state machine
 * and the API need: the default certificate key type, which well-known CA it is, the key id of its
 * external account binding (never the HMAC key), the preferred chain, the ACME profile, its own
 * new-order limit, and the CA's CAA identities. Exists so that {@link CaProfile} stays small and the API can describe a profile
 * without reaching into the adapter.
 *
 * @param catalogueCa    the well-known CA name the profile was configured with ({@code letsencrypt}, …), if any
 * @param keyType        the certificate key type when a request names none
 * @param eabKeyId       the key id of the external account binding, if one is configured
 * @param preferredChain the issuer name of the preferred chain, if any
 * @param acmeProfile    the ACME profile sent with new orders, if any
 * @param rateLimit      the profile's own new-order limit, if it overrides the service-wide one
 * @param caaIdentities  the issuer domain names of the CA for the CAA pre-check, and where they come from
 */
public record CaProfileSettings(Optional<String> catalogueCa, KeyType keyType, Optional<String> eabKeyId,
                                Optional<String> preferredChain, Optional<String> acmeProfile,
                                Optional<NewOrderLimit> rateLimit, CaaIdentities caaIdentities) {

    /** EC P-256 certificates, CAA identities from the CA's directory, nothing else configured. */
    public static final CaProfileSettings DEFAULTS = new CaProfileSettings(Optional.empty(), KeyType.EC_P256,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), CaaIdentities.FROM_DIRECTORY);

    public CaProfileSettings {
        Objects.requireNonNull(catalogueCa);
        Objects.requireNonNull(keyType);
        Objects.requireNonNull(eabKeyId);
        Objects.requireNonNull(preferredChain);
        Objects.requireNonNull(acmeProfile);
        Objects.requireNonNull(rateLimit);
        Objects.requireNonNull(caaIdentities);
    }
}
