package io.certflow.verification.persistence;

import io.certflow.platform.outbox.Aggregate;
import io.certflow.platform.secrets.SealedSecret;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An account's credential for a DNS provider ("automatic DNS"): its kind, the settings shown back to the owner,
 * and the secrets sealed by envelope encryption (a database dump holds no usable credential). Only the names of
 * the secrets are kept in the clear, so that the API can say which were given.
 *
 * <p>Id: a random {@code dnscred_…}; every lookup is scoped by account.
 */
@Document("dnsCredentials")
public class DnsCredential extends Aggregate {

    private String name;
    private String kind;
    private Map<String, String> settings;
    private List<String> secretNames;
    private SealedSecret secrets;
    @Indexed
    private Instant createdAt;

    protected DnsCredential() {
    }

    public DnsCredential(String id, String accountId, String name, String kind, Map<String, String> settings,
                         List<String> secretNames, SealedSecret secrets, Instant createdAt) {
        super(id, accountId);
        this.name = name;
        this.kind = kind;
        this.settings = Map.copyOf(settings);
        this.secretNames = List.copyOf(secretNames);
        this.secrets = secrets;
        this.createdAt = createdAt;
    }

    /** The name the owner gave it, e.g. "production BIND". */
    public String getName() {
        return name;
    }

    /** A {@link io.certflow.verification.dns.provider.ProviderKind} name. */
    public String getKind() {
        return kind;
    }

    public Map<String, String> getSettings() {
        return settings;
    }

    public List<String> getSecretNames() {
        return secretNames;
    }

    /** The sealed secrets; opened only to build the provider. */
    public SealedSecret getSecrets() {
        return secrets;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "DnsCredential[" + getId() + ", " + kind + ", " + name + "]";
    }
}
