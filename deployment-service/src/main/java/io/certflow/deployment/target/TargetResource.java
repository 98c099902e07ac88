package io.certflow.deployment.target;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a registered resource a {@link DeploymentTarget} needs: which one it is (for messages) and its
 * settings. Keeps the adapters independent of how resources are stored.
 *
 * @param id     the resource id
 * @param name   the name a person gave it
 * @param type   the target type, e.g. {@code nginx}
 * @param config the adapter's settings
 * @param domains the host names it serves, as registered or discovered (may be empty: then {@code serverName})
 * @param access  the credential it is reached with, decrypted for this call, or null when its type needs none
 */
public record TargetResource(String id, String name, String type, Map<String, String> config, List<String> domains,
                             TargetAccess access) {

    public TargetResource {
        Objects.requireNonNull(type, "type");
        config = config == null ? Map.of() : Map.copyOf(config);
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /** A resource registered by hand, without a credential. */
    public TargetResource(String id, String name, String type, Map<String, String> config) {
        this(id, name, type, config, List.of(), null);
    }
}
