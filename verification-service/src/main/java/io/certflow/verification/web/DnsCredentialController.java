package io.certflow.verification.web;

import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import io.certflow.verification.credentials.CredentialInUseException;
import io.certflow.verification.credentials.DnsCredentials;
import io.certflow.verification.credentials.InvalidCredentialException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The account's DNS provider credentials ("automatic DNS"): given once, checked at once, shown back without their
 * secrets. Another account's credential is a 404, like one that does not exist.
 */
@RestController
@RequestMapping("/api/v1/dns-credentials")
public class DnsCredentialController {

    private final DnsCredentials credentials;

    public DnsCredentialController(DnsCredentials credentials) {
        this.credentials = credentials;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public DnsCredentialView create(Account account, @RequestBody(required = false) DnsCredentials.NewCredential body) {
        if (body == null) {
            throw new BadRequestException("the body must give provider, settings and secrets");
        }
        try {
            return DnsCredentialView.of(credentials.create(account.id(), body));
        } catch (InvalidCredentialException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    @GetMapping
    public List<DnsCredentialView> list(Account account) {
        return credentials.list(account.id()).stream().map(DnsCredentialView::of).toList();
    }

    @GetMapping("/{id}")
    public DnsCredentialView get(Account account, @PathVariable String id) {
        return credentials.find(account.id(), id).map(DnsCredentialView::of).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(Account account, @PathVariable String id) {
        try {
            if (!credentials.delete(account.id(), id)) {
                throw notFound(id);
            }
        } catch (CredentialInUseException e) {
            throw new ConflictException(e.getMessage());
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no DNS credential " + id + " in this account");
    }
}
