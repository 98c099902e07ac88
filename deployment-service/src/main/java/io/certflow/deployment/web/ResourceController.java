package io.certflow.deployment.web;

import io.certflow.deployment.deploying.ResourceRegistry;
import io.certflow.deployment.deploying.TargetResources;
import io.certflow.deployment.persistence.IssuedCertificate;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/resources}: the account's inventory of places certificates are deployed to — registered by hand,
 * or found by listing a credential's resources — filtered by cloud service, credential, and whether a certificate
 * covers them.
 */
@RestController
@RequestMapping("/api/v1/resources")
public class ResourceController {

    private final ResourceRegistry registry;
    private final IssuedCertificateRepository certificates;

    public ResourceController(ResourceRegistry registry, IssuedCertificateRepository certificates) {
        this.registry = registry;
        this.certificates = certificates;
    }

    /** A resource to register. */
    public record ResourceRequest(@NotBlank String type, @NotBlank @Size(max = 200) String name, Map<String, Object> config,
                                  String credentialId, List<@NotBlank @Size(max = 253) String> domains) {
    }

    /**
     * Whether a certificate covers a resource.
     *
     * @param certificateId the certificate asked about
     * @param covered       whether it covers every host name of the resource
     * @param uncovered     the host names it does not cover
     */
    public record Coverage(String certificateId, boolean covered, List<String> uncovered) {
    }

    /** A resource in the inventory. */
    public record ResourceResponse(String resourceId, String type, String name, Map<String, String> config,
                                   List<String> domains, String credentialId, String externalId, Instant discoveredAt,
                                   Instant missingSince, Coverage coverage) {
        static ResourceResponse of(Resource r, Coverage coverage) {
            return new ResourceResponse(r.getId(), r.getType(), r.getName(), r.getConfig(), r.getDomains(),
                    r.getCredentialId(), r.getExternalId(), r.getDiscoveredAt(), r.getMissingSince(), coverage);
        }
    }

    @PostMapping
    public ResponseEntity<ResourceResponse> register(Account account, @Valid @RequestBody ResourceRequest request) {
        Resource resource = registry.register(account.id(), request.type().strip(), request.name(),
                settings(request.config()), blankToNull(request.credentialId()),
                request.domains() == null ? List.of() : request.domains().stream().map(String::strip).toList());
        return ResponseEntity.created(URI.create("/api/v1/resources/" + resource.getId()))
                .body(ResourceResponse.of(resource, null));
    }

    /**
     * The account's resources, by name: of one cloud service ({@code type}), one credential, and with
     * {@code certificateId} each says whether that certificate covers it ({@code coveredOnly=true}: only those).
     */
    @GetMapping
    public List<ResourceResponse> list(Account account, @RequestParam(required = false) String type,
                                       @RequestParam(required = false) String credentialId,
                                       @RequestParam(required = false) String certificateId,
                                       @RequestParam(defaultValue = "false") boolean coveredOnly) {
        Optional<IssuedCertificate> certificate = Optional.ofNullable(blankToNull(certificateId)).map(id ->
                certificates.findByIdAndAccountId(id, account.id()).orElseThrow(() -> new BadRequestException(
                        "certificateId: no issued version of certificate '" + id + "' is known for this account")));
        if (coveredOnly && certificate.isEmpty()) {
            throw new BadRequestException("coveredOnly: name the certificate (certificateId)");
        }
        Map<String, DeploymentTarget> types = new LinkedHashMap<>();
        registry.types().forEach(t -> types.put(t.type(), t));
        return registry.list(account.id()).stream()
                .filter(r -> type == null || r.getType().equals(type.strip()))
                .filter(r -> credentialId == null || credentialId.strip().equals(r.getCredentialId()))
                .map(r -> ResourceResponse.of(r, certificate.map(c -> coverage(types.get(r.getType()), r, c)).orElse(null)))
                .filter(r -> !coveredOnly || r.coverage().covered())
                .toList();
    }

    @GetMapping("/{resourceId}")
    public ResourceResponse get(Account account, @PathVariable String resourceId) {
        return ResourceResponse.of(registry.get(account.id(), resourceId), null);
    }

    /** Removes a resource no task names (409 names the tasks that do). */
    @DeleteMapping("/{resourceId}")
    public ResponseEntity<Void> delete(Account account, @PathVariable String resourceId) {
        registry.delete(account.id(), resourceId);
        return ResponseEntity.noContent().build();
    }

    static Coverage coverage(DeploymentTarget target, Resource resource, IssuedCertificate certificate) {
        List<String> uncovered = target == null ? List.of("(no deployment target of type " + resource.getType() + ")")
                : TargetResources.uncovered(target, resource, certificate.getDomains());
        return new Coverage(certificate.getId(), uncovered.isEmpty(), uncovered);
    }

    /** Settings are flat: text, numbers and booleans become text; anything nested is refused. */
    private static Map<String, String> settings(Map<String, Object> config) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (config == null) {
            return settings;
        }
        config.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                throw new BadRequestException("config setting '" + key + "' must be a single value");
            }
            settings.put(key, String.valueOf(value));
        });
        return settings;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
