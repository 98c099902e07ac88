package io.certflow.deployment.target;

import java.util.List;
import java.util.Map;

/**
 * One resource a credential reaches, as the cloud service or server lists it (a CDN domain, a load balancer
 * listener, an nginx server block): stored in the account's inventory so that a person picks it for a task,
 * and matched to the certificates that cover its domains.
 *
 * @param externalId the id the service knows it by, stable across listings (a distribution id, a listener ARN,
 *                   {@code server_name:port} of an nginx block); unique per credential
 * @param name       what a person recognises it by
 * @param domains    the host names it serves (what a certificate must cover); may hold wildcards
 * @param config     the settings its target needs to deploy to it (the same a person would register by hand)
 */
public record DiscoveredResource(String externalId, String name, List<String> domains, Map<String, String> config) {

    public DiscoveredResource {
        domains = domains == null ? List.of() : List.copyOf(domains);
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
