package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaProblem;
import io.certflow.issuance.ca.CaRefusedException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The CA profiles of the configuration ({@code certflow.issuance.profiles.*} and the single
 * {@code certflow.issuance.ca} block), one of them the default for requests that name none.
 */
public final class ConfiguredCaProfiles implements CaProfiles {

    private final Map<String, CaProfile> profiles;
    private final CaProfile defaultProfile;
    private final List<CaProfile> ordered;

    /** One profile, which is also the default. */
    public ConfiguredCaProfiles(CaProfile profile) {
        this(List.of(profile), profile.name());
    }

    /**
     * @param profiles       the profiles, in the order the API lists them; names are unique
     * @param defaultProfile the name of the profile for requests that name none
     */
    public ConfiguredCaProfiles(List<CaProfile> profiles, String defaultProfile) {
        Map<String, CaProfile> byName = new LinkedHashMap<>();
        for (CaProfile p : profiles) {
            if (byName.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("CA profile '" + p.name() + "' is configured twice");
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("no CA profile is configured");
        }
        this.profiles = Map.copyOf(byName);
        this.defaultProfile = Objects.requireNonNull(byName.get(defaultProfile),
                () -> "the default CA profile '" + defaultProfile + "' is not configured (configured: " + byName.keySet() + ")");
        this.ordered = List.copyOf(byName.values());
    }


    @Override
    public CaProfile profile(String requested) throws CaRefusedException {
        if (requested == null || requested.isBlank()) {
            return defaultProfile;
        }
        CaProfile profile = profiles.get(requested);
        if (profile != null) {
            return profile;
        }
        throw new CaRefusedException(new CaProblem(IssuanceProblems.UNKNOWN_CA_PROFILE,
                "CA profile '" + requested + "' is not configured"), false);
    }

    @Override
    public List<CaProfile> all() {
        return ordered;
    }

    @Override
    public Optional<CaProfile> find(String name) {
        return Optional.ofNullable(name == null ? null : profiles.get(name));
    }

    /** The default profile. */
    public CaProfile defaultProfile() {
        return defaultProfile;
    }
}
