package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;

/**
 * The CA profiles of the configuration: for now the one profile of {@code certflow.issuance.ca}, which
 * is also the default.
 */
public final class ConfiguredCaProfiles implements CaProfiles {

    private final CaProfile profile;

    public ConfiguredCaProfiles(CaProfile profile) {
        this.profile = profile;
    }

    @Override
    public CaProfile profile(String requested) throws CaRefusedException {
        if (requested == null || requested.isBlank() || requested.equals(profile.name())) {
            return profile;
        }
        throw new CaRefusedException(new CaProblem(IssuanceProblems.UNKNOWN_CA_PROFILE,
                "CA profile '" + requested + "' is not configured"), false);
    }
}
