package io.certflow.deployment.persistence;

import io.certflow.platform.secrets.SealedSecret;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account's credential for one cloud service or server type (an AWS access key, an SSH key, a Kubernetes
 * token): the plain settings, shown back, and the secrets, sealed (envelope encryption, the credential's id and
 * account as context) and never shown back — only their names are.
 */
@Document("target_credentials")
@CompoundIndex(name = "account_created", def = "{'accountId': 1, 'createdAt': 1}")
public class TargetCredential {

    @Id
    private String id;
    private String accountId;
    @Version
    private Long version;
    private String type;
    private String name;
    private Map<String, String> settings = new LinkedHashMap<>();
    private List<String> secretNames = List.of();
    private SealedSecret secrets;
    private Instant createdAt;
    private Instant lastDiscoveryAt;
    private String lastDiscoveryError;

    protected TargetCredential() {
    }

    public TargetCredential(String id, String accountId, String type, String name, Map<String, String> settings,
                            List<String> secretNames, SealedSecret secrets, Instant createdAt) {
        this.id = id;
        this.accountId = accountId;
        this.type = type;
        this.name = name;
        this.settings = new LinkedHashMap<>(settings);
        this.secretNames = List.copyOf(secretNames);
        this.secrets = secrets;
        this.createdAt = createdAt;
    }

    /** A discovery ran: when, and why it failed (null when it listed the resources). */
    public void discovered(Instant at, String error) {
        lastDiscoveryAt = at;
        lastDiscoveryError = error;
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getType() {
        return type;
    }

    public String getName() {
        return name;
    }

    public Map<String, String> getSettings() {
        return Map.copyOf(settings);
    }

    public List<String> getSecretNames() {
        return secretNames;
    }

    public SealedSecret getSecrets() {
        return secrets;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getLastDiscoveryAt() {
        return lastDiscoveryAt;
    }

    public String getLastDiscoveryError() {
        return lastDiscoveryError;
    }
}
