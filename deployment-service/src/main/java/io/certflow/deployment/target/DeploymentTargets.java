package io.certflow.deployment.target;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adapters this service has, by {@link DeploymentTarget#type()}: where a resource's {@code type} name
 * becomes the technology that deploys to it.
 */
public class DeploymentTargets {

    private final Map<String, DeploymentTarget> byType = new LinkedHashMap<>();

    public DeploymentTargets(Collection<? extends DeploymentTarget> targets) {
        for (DeploymentTarget target : targets) {
            if (byType.putIfAbsent(target.type(), target) != null) {
                throw new IllegalStateException("two deployment targets of type " + target.type());
            }
        }
    }

    /** The adapter for a type, if there is one. */
    public Optional<DeploymentTarget> find(String type) {
        return Optional.ofNullable(type == null ? null : byType.get(type));
    }

    /**
     * The adapter for a type.
     *
     * @throws InvalidTargetConfigException if no adapter has that type, listing the known ones
     */
    public DeploymentTarget require(String type) {
        return find(type).orElseThrow(() -> new InvalidTargetConfigException(String.valueOf(type),
                List.of("unknown resource type '" + type + "', known types: " + types())));
    }

    /** The known type names. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }
}
