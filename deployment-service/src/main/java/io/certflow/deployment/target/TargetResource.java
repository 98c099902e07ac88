package io.certflow.deployment.target;

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
 */
public record TargetResource(String id, String name, String type, Map<String, String> config) {

    public TargetResource {
        Objects.requireNonNull(type, "type");
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
