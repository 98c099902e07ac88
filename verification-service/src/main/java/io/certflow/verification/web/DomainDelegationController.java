package io.certflow.verification.web;

import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.NotFoundException;
import io.certflow.verification.delegation.DelegationService;
import io.certflow.verification.delegation.DomainName;
import io.certflow.verification.delegation.InvalidDomainNameException;
import io.certflow.verification.delegation.UnknownCredentialException;
import io.certflow.verification.persistence.DomainAuthorization;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The domain API: how certflow controls a domain's challenge name (CNAME delegation or one of the
 * account's DNS provider credentials), which CNAME to create, and "Verify" (check it now). A DNS or
 * provider problem is an answer (200 with the diagnosis), not an error; a name that is not a domain
 * or an unknown method is a 400, a credential the account does not have a 404.
 */
@RestController
@RequestMapping("/api/v1/domains/{domain}")
public class DomainDelegationController {

    private final DelegationService delegations;

    public DomainDelegationController(DelegationService delegations) {
        this.delegations = delegations;
    }

    @GetMapping
    public DomainView domain(Account account, @PathVariable String domain) {
        DomainAuthorization a = delegations.delegation(account.id(), parse(domain));
        return DomainView.of(a, delegations.zoneOf(a).orElse(null));
    }

    /**
     * Chooses the method.
     *
     * @param method       {@code CNAME_DELEGATION} or {@code DNS_PROVIDER}
     * @param credentialId for {@code DNS_PROVIDER}: one of the account's DNS credentials
     */
    public record MethodRequest(String method, String credentialId) {
    }

    @PutMapping("/method")
    public DomainView method(Account account, @PathVariable String domain, @RequestBody(required = false)
                             MethodRequest request) {
        if (request == null) {
            throw new BadRequestException("the body must name a method: CNAME_DELEGATION or DNS_PROVIDER");
        }
        try {
            DomainAuthorization a = delegations.chooseMethod(account.id(), parse(domain), request.method(),
                    request.credentialId());
            return DomainView.of(a, delegations.zoneOf(a).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        } catch (UnknownCredentialException e) {
            throw new NotFoundException(e.getMessage());
        }
    }

    @GetMapping("/delegation")
    public DelegationView delegation(Account account, @PathVariable String domain) {
        DomainAuthorization a = delegations.delegation(account.id(), parse(domain));
        return DelegationView.of(a, delegations.zoneOf(a).orElse(null));
    }

    @PostMapping("/verify")
    public VerificationView verify(Account account, @PathVariable String domain) {
        DelegationService.Verification v = delegations.verify(account.id(), parse(domain));
        return VerificationView.of(v.authorization().getDomain(), v.diagnosis());
    }

    private static DomainName parse(String domain) {
        try {
            return DomainName.parse(domain);
        } catch (InvalidDomainNameException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
