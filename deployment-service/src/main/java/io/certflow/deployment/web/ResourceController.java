package io.certflow.deployment.web;

import io.certflow.deployment.deploying.ResourceRegistry;
import io.certflow.deployment.persistence.Resource;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/resources}: register and look at the places certificates are deployed to. */
@RestController
@RequestMapping("/api/v1/resources")
public class ResourceController {

    private final ResourceRegistry registry;

    public ResourceController(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** A resource to register. */
    public record ResourceRequest(@NotBlank String type, @NotBlank @Size(max = 200) String name, Map<String, Object> config) {
    }

    /** A registered resource. */
    public record ResourceResponse(String resourceId, String type, String name, Map<String, String> config) {
        static ResourceResponse of(Resource r) {
            return new ResourceResponse(r.getId(), r.getType(), r.getName(), r.getConfig());
        }
    }

    @PostMapping
    public ResponseEntity<ResourceResponse> register(Account account, @Valid @RequestBody ResourceRequest request) {
        Resource resource = registry.register(account.id(), request.type().strip(), request.name(), settings(request.config()));
        return ResponseEntity.created(URI.create("/api/v1/resources/" + resource.getId())).body(ResourceResponse.of(resource));
    }

    @GetMapping
    public List<ResourceResponse> list(Account account) {
        return registry.list(account.id()).stream().map(ResourceResponse::of).toList();
    }

    @GetMapping("/{resourceId}")
    public ResourceResponse get(Account account, @PathVariable String resourceId) {
        return ResourceResponse.of(registry.get(account.id(), resourceId));
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
}
