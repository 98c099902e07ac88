package io.certflow.verification.web;

import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.verification.delegation.DelegationService;
import io.certflow.verification.delegation.DomainName;
import io.certflow.verification.delegation.InvalidDomainNameException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The delegation API: which CNAME to create for a domain, and "Verify" (look it up now). A DNS
 * problem is an answer (200 with the diagnosis), not an error; only a name that is not a domain
 * is a 400.
 */
@RestController
@RequestMapping("/api/v1/domains/{domain}")
public class DomainDelegationController {

    private final DelegationService delegations;

    public DomainDelegationController(DelegationService delegations) {
        this.delegations = delegations;
    }

    @GetMapping("/delegation")
    public DelegationView delegation(Account account, @PathVariable String domain) {
        return DelegationView.of(delegations.delegation(account.id(), parse(domain)));
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
