package io.certflow.deployment.deploying;

import io.certflow.deployment.credentials.CredentialUnavailableException;
import io.certflow.deployment.credentials.TargetCredentials;
import io.certflow.deployment.persistence.DeploymentTaskRepository;
import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.persistence.ResourceRepository;
import io.certflow.deployment.persistence.TargetCredential;
import io.certflow.deployment.persistence.TargetCredentialRepository;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DeploymentTargets;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetException;
import io.certflow.platform.web.ApiException;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An account's inventory of resources: registered by hand after their target checked the settings, or found by
 * listing what one of the account's credentials reaches (a listing adds what is new, updates what changed, and
 * marks what is gone as missing — never deletes, as tasks may name it). Every lookup is scoped to the account.
 */
@Service
public class ResourceRegistry {

    private static final Logger log = LoggerFactory.getLogger(ResourceRegistry.class);

    private final ResourceRepository resources;
    private final TargetCredentials credentials;
    private final TargetCredentialRepository credentialStore;
    private final DeploymentTargets targets;
    private final DeploymentTaskRepository tasks;
    private final Clock clock;

    public ResourceRegistry(ResourceRepository resources, TargetCredentials credentials,
                            TargetCredentialRepository credentialStore, DeploymentTargets targets,
                            DeploymentTaskRepository tasks, Clock clock) {
        this.resources = resources;
        this.tasks = tasks;
        this.credentials = credentials;
        this.credentialStore = credentialStore;
        this.targets = targets;
        this.clock = clock;
    }

    /**
     * Stores a new resource.
     *
     * @param credentialId the account's credential it is reached with, for a type that needs one; else null
     * @param domains      the host names it serves, if its settings do not say (may be empty)
     * @throws BadRequestException for an unknown type, settings its target rejects (every problem named), or a
     *                             missing, unknown or mismatched credential
     * @throws ConflictException   if the account already has a resource of that name
     */
    public Resource register(String accountId, String type, String name, Map<String, String> config,
                             String credentialId, List<String> domains) {
        DeploymentTarget target;
        try {
            target = targets.require(type);
            target.validate(config);
        } catch (InvalidTargetConfigException e) {
            throw new BadRequestException(e.getMessage());
        }
        checkCredential(accountId, target, credentialId);
        Resource resource = new Resource(UUID.randomUUID().toString(), accountId, target.type(), name.strip(), config,
                clock.instant()).withAccess(credentialId, domains);
        try {
            return resources.insert(resource);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("a resource named '" + name.strip() + "' already exists");
        }
    }

    /**
     * What a listing of one credential's resources found.
     *
     * @param credentialId the credential
     * @param found        how many the service listed
     * @param added        new in the inventory
     * @param updated      known before (settings and domains refreshed)
     * @param missing      known before and not listed any more
     * @param resources    the credential's resources now, by name
     */
    public record Discovery(String credentialId, int found, int added, int updated, int missing, List<Resource> resources) {
    }

    /**
     * Lists what a credential reaches and brings the inventory up to date.
     *
     * @throws NotFoundException   if the credential is not the account's
     * @throws BadRequestException if its type does not list resources
     * @throws ApiException        502 when the service refused the credential, 503 when it could not be reached
     */
    public Discovery discover(String accountId, String credentialId) {
        TargetCredential credential = credentials.get(accountId, credentialId);
        DeploymentTarget target = targets.find(credential.getType()).orElseThrow(() -> new BadRequestException(
                "no deployment target of type " + credential.getType()));
        if (!target.discovers()) {
            throw new BadRequestException(target.displayName() + " does not list its resources; register them by hand");
        }
        Instant now = clock.instant();
        List<DiscoveredResource> listed;
        try {
            listed = target.discover(credentials.open(credential));
        } catch (TargetException | CredentialUnavailableException e) {
            credential.discovered(now, e.getMessage());
            credentialStore.save(credential);
            boolean retryable = e instanceof TargetException t && t.retryable();
            throw new DiscoveryFailedException(retryable ? 503 : 502, target.displayName() + " could not list the "
                    + "resources of credential " + credentialId + ": " + e.getMessage());
        }
        Map<String, Resource> known = resources.findByAccountIdAndCredentialId(accountId, credentialId).stream()
                .filter(r -> r.getExternalId() != null)
                .collect(Collectors.toMap(Resource::getExternalId, r -> r, (a, b) -> a, HashMap::new));
        int added = 0;
        int updated = 0;
        for (DiscoveredResource found : listed) {
            Resource resource = known.remove(found.externalId());
            if (resource != null) {
                resource.seenAgain(found.config(), found.domains(), now);
                resources.save(resource);
                updated++;
                continue;
            }
            Resource fresh = new Resource(UUID.randomUUID().toString(), accountId, target.type(),
                    freeName(accountId, found.name(), credential.getName()), found.config(), now)
                    .withAccess(credentialId, found.domains()).discoveredAs(found.externalId(), now);
            resources.insert(fresh);
            added++;
        }
        for (Resource gone : known.values()) {
            gone.missing(now);
            resources.save(gone);
        }
        credential.discovered(now, null);
        credentialStore.save(credential);
        log.info("discovered {} {} resource(s) with credential {}: {} new, {} updated, {} missing", listed.size(),
                target.type(), credentialId, added, updated, known.size());
        List<Resource> current = resources.findByAccountIdAndCredentialId(accountId, credentialId).stream()
                .sorted(java.util.Comparator.comparing(Resource::getName)).toList();
        return new Discovery(credentialId, listed.size(), added, updated, known.size(), current);
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

    /**
     * Removes one of the account's resources.
     *
     * @throws NotFoundException if it is not the account's
     * @throws ConflictException while a deployment task names it (change the task's resources first)
     */
    public void delete(String accountId, String resourceId) {
        Resource resource = get(accountId, resourceId);
        List<String> tasksUsing = tasks.findByAccountIdAndResourceIds(accountId, resourceId).stream()
                .map(io.certflow.deployment.persistence.DeploymentTask::getId).toList();
        if (!tasksUsing.isEmpty()) {
            throw new ConflictException("resource " + resourceId + " is part of deployment task(s) " + tasksUsing
                    + "; remove it from them first (PUT /api/v1/deployment-tasks/{taskId}/resources)");
        }
        resources.delete(resource);
    }

    /** The known target types, for the cloud services list. */
    public List<DeploymentTarget> types() {
        return targets.types().stream().map(targets::require).toList();
    }

    private void checkCredential(String accountId, DeploymentTarget target, String credentialId) {
        if (!target.needsCredential()) {
            if (credentialId != null) {
                throw new BadRequestException(target.type() + " resources need no credential; leave credentialId out");
            }
            return;
        }
        if (credentialId == null || credentialId.isBlank()) {
            throw new BadRequestException("credentialId: " + target.type() + " resources are reached with a credential "
                    + "(POST /api/v1/target-credentials)");
        }
        TargetCredential credential = credentialStore.findByIdAndAccountId(credentialId, accountId)
                .orElseThrow(() -> new BadRequestException("credentialId: unknown credential '" + credentialId + "'"));
        if (!credential.getType().equals(target.type())) {
            throw new BadRequestException("credentialId: credential " + credentialId + " is for " + credential.getType()
                    + ", not " + target.type());
        }
    }

    /** {@code name}, or with the credential's name (and a number) when the account has a resource of that name. */
    private String freeName(String accountId, String name, String credentialName) {
        String base = name == null || name.isBlank() ? "resource" : name.strip();
        if (!resources.existsByAccountIdAndName(accountId, base)) {
            return base;
        }
        String qualified = base + " (" + credentialName + ")";
        for (int i = 2; resources.existsByAccountIdAndName(accountId, qualified); i++) {
            qualified = base + " (" + credentialName + " " + i + ")";
        }
        return qualified;
    }

    /** A listing failed: 502 when the service refused, 503 when it could not be reached. */
    public static final class DiscoveryFailedException extends ApiException {

        DiscoveryFailedException(int status, String detail) {
            super(status, detail);
        }
    }
}
