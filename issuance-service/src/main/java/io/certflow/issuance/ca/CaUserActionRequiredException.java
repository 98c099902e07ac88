package io.certflow.issuance.ca;

import java.net.URI;
import java.util.Optional;

/**
 * The CA needs a person first ({@code urn:ietf:params:acme:error:userActionRequired}), typically new
 * terms of service to agree to. Never retried automatically. Modelled on acme4j's
 * {@code AcmeUserActionRequiredException}.
 */
public final class CaUserActionRequiredException extends CaRefusedException {

    private final URI instance;

    public CaUserActionRequiredException(CaProblem problem, URI instance, Throwable cause) {
        super(problem, false, cause);
        this.instance = instance;
    }

    /** The page where a person can act, if the CA gave one. */
    public Optional<URI> instance() {
        return Optional.ofNullable(instance);
    }
}
