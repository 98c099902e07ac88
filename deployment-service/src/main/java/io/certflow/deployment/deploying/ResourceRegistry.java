package io.certflow.deployment.deploying;

import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.persistence.ResourceRepository;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DeploymentTargets;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Registers the resources of an account, after their target has checked the settings: a resource that is
 * stored can be deployed to. Every lookup is scoped to the account.
 */
@Service
public class ResourceRegistry {

    private final ResourceRepository resources;
    private final DeploymentTargets targets;
    private final Clock clock;

    public ResourceRegistry(ResourceRepository resources, DeploymentTargets targets, Clock clock) {
        this.resources = resources;
        this.targets = targets;
        this.clock = clock;
    }

    /**
     * Stores a new resource.
     *
     * @throws BadRequestException for an unknown type or settings its target rejects (every problem named)
     * @throws ConflictException   if the account already has a resource of that name
     */
    public Resource register(String accountId, String type, String name, Map<String, String> config) {
        DeploymentTarget target;
        try {
            target = targets.require(type);
            target.validate(config);
        } catch (InvalidTargetConfigException e) {
            throw new BadRequestException(e.getMessage());
        }
        Resource resource = new Resource(UUID.randomUUID().toString(), accountId, target.type(), name.strip(), config,
                clock.instant());
        try {
            return resources.insert(resource);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("a resource named '" + name.strip() + "' already exists");
        }
    }

    /** The account's resources, by name. */
    public List<Resource> list(String accountId) {
        return resources.findByAccountIdOrderByNameAsc(accountId);
    }

    /** One of the account's resources; 404 for anyone else's. */
    public Resource get(String accountId, String resourceId) {
        return resources.findByIdAndAccountId(resourceId, accountId)
                .orElseThrow(() -> new NotFoundException("resource " + resourceId + " not found"));
    }
}
