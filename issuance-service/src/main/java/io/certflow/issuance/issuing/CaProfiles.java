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
}
