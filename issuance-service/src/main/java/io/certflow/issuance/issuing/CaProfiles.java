package io.certflow.issuance.issuing;

import io.certflow.issuance.ca.CaRefusedException;

/**
 * Finds the CA profile a certificate asked for. Exists so that the state machine resolves profiles by
 * name and tests can supply a fake CA.
 */
public interface CaProfiles {

    /**
     * The profile named {@code requested}, or the default profile when {@code requested} is blank.
     *
     * @throws CaRefusedException (not retryable) when no such profile is configured
     */
    CaProfile profile(String requested) throws CaRefusedException;

    /** Every configured profile, by name (for the API and the metrics); the default alone unless overridden. */
    default java.util.List<CaProfile> all() {
        try {
            return java.util.List.of(profile(null));
        } catch (CaRefusedException e) {
            return java.util.List.of();
        }
    }

    /** The profile named {@code name} exactly (no default), if configured. */
    default java.util.Optional<CaProfile> find(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
