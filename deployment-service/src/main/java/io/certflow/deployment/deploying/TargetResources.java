package io.certflow.deployment.deploying;

import io.certflow.deployment.credentials.TargetCredentials;
import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.TargetResource;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stored resource into what its target works on: its settings, its domains and, for a type reached with
 * a credential, that credential opened for this one call.
 */
@Component
public class TargetResources {

    private final TargetCredentials credentials;

    public TargetResources(TargetCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * The target's view of {@code resource}.
     *
     * @throws io.certflow.deployment.credentials.CredentialUnavailableException if its credential is gone or does not open
     */
    public TargetResource of(Resource resource) {
        return new TargetResource(resource.getId(), resource.getName(), resource.getType(), resource.getConfig(),
                resource.getDomains(), resource.getCredentialId() == null ? null
                : credentials.open(resource.getAccountId(), resource.getCredentialId()));
    }

    /** The host names {@code resource} serves, as its target tells them (no credential needed). */
    public static List<String> hostNames(DeploymentTarget target, Resource resource) {
        return target.domains(new TargetResource(resource.getId(), resource.getName(), resource.getType(),
                resource.getConfig(), resource.getDomains(), null));
    }

    /**
     * The host names of {@code resource} the certificate's {@code domains} do not cover (wildcards included); empty
     * when all are covered. A resource that names no host name at all is reported as such.
     */
    public static List<String> uncovered(DeploymentTarget target, Resource resource, List<String> domains) {
        List<String> names = hostNames(target, resource);
        if (names.isEmpty()) {
            return List.of("(no host name: set serverName)");
        }
        List<String> uncovered = new ArrayList<>();
        for (String name : names) {
            if (!DomainCoverage.covers(domains, name)) {
                uncovered.add(name);
            }
        }
        return uncovered;
    }
}
