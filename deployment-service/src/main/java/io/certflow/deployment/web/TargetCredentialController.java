package io.certflow.deployment.web;

import io.certflow.deployment.credentials.TargetCredentials;
import io.certflow.deployment.deploying.ResourceRegistry;
import io.certflow.deployment.persistence.TargetCredential;
import io.certflow.platform.web.Account;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/target-credentials}: the account's credentials for cloud services and servers. Secrets go in and
 * never come out (only their names are shown); {@code POST …/{id}/discover} lists what a credential reaches into
 * the resource inventory.
 */
@RestController
@RequestMapping("/api/v1/target-credentials")
public class TargetCredentialController {

    private final TargetCredentials credentials;
    private final ResourceRegistry registry;

    public TargetCredentialController(TargetCredentials credentials, ResourceRegistry registry) {
        this.credentials = credentials;
        this.registry = registry;
    }

    /** A credential as shown back: its settings and the names of its secrets, never their values. */
    public record CredentialResponse(String credentialId, String type, String name, Map<String, String> settings,
                                     List<String> secrets, Instant createdAt, Instant lastDiscoveryAt,
                                     String lastDiscoveryError) {
        static CredentialResponse of(TargetCredential c) {
            return new CredentialResponse(c.getId(), c.getType(), c.getName(), c.getSettings(), c.getSecretNames(),
                    c.getCreatedAt(), c.getLastDiscoveryAt(), c.getLastDiscoveryError());
        }
    }

    /** What a listing found, with the credential's resources now. */
    public record DiscoveryResponse(String credentialId, int found, int added, int updated, int missing,
                                    List<ResourceController.ResourceResponse> resources) {
    }

    @PostMapping
    public ResponseEntity<CredentialResponse> create(Account account, @RequestBody TargetCredentials.NewCredential request) {
        TargetCredential created = credentials.create(account.id(), request == null
                ? new TargetCredentials.NewCredential(null, null, null, null) : request);
        return ResponseEntity.created(URI.create("/api/v1/target-credentials/" + created.getId()))
                .body(CredentialResponse.of(created));
    }

    @GetMapping
    public List<CredentialResponse> list(Account account) {
        return credentials.list(account.id()).stream().map(CredentialResponse::of).toList();
    }

    @GetMapping("/{credentialId}")
    public CredentialResponse get(Account account, @PathVariable String credentialId) {
        return CredentialResponse.of(credentials.get(account.id(), credentialId));
    }

    @DeleteMapping("/{credentialId}")
    public ResponseEntity<Void> delete(Account account, @PathVariable String credentialId) {
        credentials.delete(account.id(), credentialId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{credentialId}/discover")
    public DiscoveryResponse discover(Account account, @PathVariable String credentialId) {
        ResourceRegistry.Discovery found = registry.discover(account.id(), credentialId);
        return new DiscoveryResponse(found.credentialId(), found.found(), found.added(), found.updated(), found.missing(),
                found.resources().stream().map(r -> ResourceController.ResourceResponse.of(r, null)).toList());
    }
}
