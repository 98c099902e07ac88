package io.certflow.deployment.persistence;

import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A place a certificate can be deployed to (an nginx server block, a CDN domain, a load balancer listener…) in
 * an account's inventory: its target {@code type}, a name people recognise, the settings its target validated,
 * the host names it serves, and, for a type reached with a credential, which one. Registered by hand, or found by
 * listing a credential's resources ({@code externalId} is then the service's own id, and {@code missingSince}
 * says when a later listing no longer found it). Names are unique within an account, so "demo-nginx" means one
 * thing.
 */
@Document("resources")
@CompoundIndex(name = "account_name", def = "{'accountId': 1, 'name': 1}", unique = true)
public class Resource extends Aggregate {

    private String type;
    private String name;
    private Map<String, String> config = new LinkedHashMap<>();
    private List<String> domains = new ArrayList<>();
    @Indexed(sparse = true)
    private String credentialId;
    private String externalId;
    private Instant discoveredAt;
    private Instant missingSince;
    private Instant createdAt;

    protected Resource() {
    }

    public Resource(String id, String accountId, String type, String name, Map<String, String> config, Instant createdAt) {
        super(id, accountId);
        this.type = type;
        this.name = name;
        this.config = new LinkedHashMap<>(config);
        this.createdAt = createdAt;
    }

    /** A resource reached with a credential, and the domains it serves (for coverage checks). */
    public Resource withAccess(String credentialId, List<String> domains) {
        this.credentialId = credentialId;
        this.domains = new ArrayList<>(domains == null ? List.of() : domains);
        return this;
    }

    /** A resource found by listing the credential's resources under {@code externalId}. */
    public Resource discoveredAs(String externalId, Instant at) {
        this.externalId = externalId;
        this.discoveredAt = at;
        this.missingSince = null;
        return this;
    }

    /** A new listing found it again, with these settings and domains. */
    public void seenAgain(Map<String, String> config, List<String> domains, Instant at) {
        this.config = new LinkedHashMap<>(config);
        this.domains = new ArrayList<>(domains);
        this.discoveredAt = at;
        this.missingSince = null;
    }

    /** A new listing did not find it: it was deleted in the service, or the credential lost access to it. */
    public void missing(Instant at) {
        if (missingSince == null) {
            missingSince = at;
        }
    }

    public List<String> getDomains() {
        return domains == null ? List.of() : List.copyOf(domains);
    }

    public String getCredentialId() {
        return credentialId;
    }

    public String getExternalId() {
        return externalId;
    }

    public Instant getDiscoveredAt() {
        return discoveredAt;
    }

    public Instant getMissingSince() {
        return missingSince;
    }

    public String getType() {
        return type;
    }

    public String getName() {
        return name;
    }

    public Map<String, String> getConfig() {
        return Map.copyOf(config);
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
