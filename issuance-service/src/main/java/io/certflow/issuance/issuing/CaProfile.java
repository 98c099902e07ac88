package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CertificateAuthority;

import java.util.Optional;

/**
 * A configured CA: its name (what {@code CertificateRequested.caProfile} refers to), its directory,
 * the port to talk to it, the contact registered with accounts there, and its other settings.
 *
 * @param name         the profile name
 * @param directoryUrl the directory URL, which also scopes stored account URLs
 * @param authority    the CA port of this profile
 * @param contactEmail the contact address for new accounts, if any
 * @param settings     key type, external account binding key id, preferred chain, ACME profile, rate limit
 */
public record CaProfile(String name, String directoryUrl, CertificateAuthority authority, Optional<String> contactEmail,
                        CaProfileSettings settings) {

    /** A profile with {@link CaProfileSettings#DEFAULTS}. */
    public CaProfile(String name, String directoryUrl, CertificateAuthority authority, Optional<String> contactEmail) {
        this(name, directoryUrl, authority, contactEmail, CaProfileSettings.DEFAULTS);
    }
}
