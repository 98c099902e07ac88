package io.certflow.deployment.persistence;

import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A place a certificate can be deployed to (an nginx server, later a CDN domain…), registered by an account:
 * its target {@code type}, a name people recognise, and the settings its target validated. Names are unique
 * within an account, so "demo-nginx" means one thing.
 */
@Document("resources")
@CompoundIndex(name = "account_name", def = "{'accountId': 1, 'name': 1}", unique = true)
public class Resource extends Aggregate {

    private String type;
    private String name;
    private Map<String, String> config = new LinkedHashMap<>();
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
