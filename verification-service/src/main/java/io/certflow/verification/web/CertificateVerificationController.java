package io.certflow.verification.web;

import io.certflow.platform.web.Account;
import io.certflow.platform.web.NotFoundException;
import io.certflow.verification.delegation.DomainAuthorizations;
import io.certflow.verification.delegation.VerificationRequests;
import io.certflow.verification.persistence.DomainAuthorization;
import io.certflow.verification.persistence.VerificationRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Where a certificate's verification stands: {@code GET /api/v1/certificates/{certificateId}/verification} shows the
 * method its application chose, and per domain the method it is verified by, its state and what it waits for. 404 for
 * a certificate verification-service has no request of, or of another account.
 */
@RestController
public class CertificateVerificationController {

    private final VerificationRequests requests;
    private final DomainAuthorizations authorizations;

    public CertificateVerificationController(VerificationRequests requests, DomainAuthorizations authorizations) {
        this.requests = requests;
        this.authorizations = authorizations;
    }

    @GetMapping("/api/v1/certificates/{certificateId}/verification")
    public CertificateVerificationView verification(Account account, @PathVariable String certificateId) {
        VerificationRequest request = requests.find(account.id(), certificateId)
                .orElseThrow(() -> new NotFoundException("no verification of certificate " + certificateId));
        Map<String, DomainAuthorization> found = authorizations.find(account.id(), request.getAuthorizationDomains());
        return CertificateVerificationView.of(request, found);
    }
}
