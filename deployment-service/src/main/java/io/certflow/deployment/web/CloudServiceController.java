package io.certflow.deployment.web;

import io.certflow.deployment.deploying.ResourceRegistry;
import io.certflow.deployment.persistence.IssuedCertificate;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/cloud-services}: the left column of the deployment wizard — every cloud service and server type
 * certflow deploys to, how it is reached, and how many of the account's resources it has (and, for a certificate,
 * how many of those the certificate covers).
 */
@RestController
@RequestMapping("/api/v1/cloud-services")
public class CloudServiceController {

    private final ResourceRegistry registry;
    private final IssuedCertificateRepository certificates;

    public CloudServiceController(ResourceRegistry registry, IssuedCertificateRepository certificates) {
        this.registry = registry;
        this.certificates = certificates;
    }

    /**
     * One cloud service.
     *
     * @param type            the resource type name
     * @param displayName     its name for people
     * @param needsCredential whether its resources are reached with a credential
     * @param discovers       whether a credential's resources can be listed
     * @param resources       the account's resources of this type
     * @param covered         of those, how many the certificate asked about covers (absent without one)
     * @param credentialFields what a credential of this service holds, as a form asks for it (empty: it takes none);
     *                         the declaration its credential check reads ({@link DeploymentTarget#credentialFields()})
     */
    public record CloudService(String type, String displayName, boolean needsCredential, boolean discovers,
                               long resources, Long covered, List<CredentialField> credentialFields) {
    }

    @GetMapping
    public List<CloudService> list(Account account, @RequestParam(required = false) String certificateId) {
        Optional<IssuedCertificate> certificate = Optional.ofNullable(certificateId).filter(id -> !id.isBlank()).map(id ->
                certificates.findByIdAndAccountId(id.strip(), account.id()).orElseThrow(() -> new BadRequestException(
                        "certificateId: no issued version of certificate '" + id + "' is known for this account")));
        List<Resource> all = registry.list(account.id());
        return registry.types().stream().map(t -> service(t, all, certificate)).toList();
    }

    private static CloudService service(DeploymentTarget target, List<Resource> all, Optional<IssuedCertificate> certificate) {
        List<Resource> ofType = all.stream().filter(r -> r.getType().equals(target.type())).toList();
        Long covered = certificate.map(c -> ofType.stream()
                .filter(r -> ResourceController.coverage(target, r, c).covered()).count()).orElse(null);
        return new CloudService(target.type(), target.displayName(), target.needsCredential(), target.discovers(),
                ofType.size(), covered, target.credentialFields());
    }
}
