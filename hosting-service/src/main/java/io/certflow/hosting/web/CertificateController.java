package io.certflow.hosting.web;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.NotRenewableException;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.renewal.RenewalService;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** The hosting API: the caller's certificates, their status and schedule, and renewal on demand. */
@RestController
@RequestMapping("/api/v1/certificates")
public class CertificateController {

    /** Most certificates one list answer holds. */
    static final int MAX_LIST = 500;

    private final ManagedCertificateRepository certificates;
    private final RenewalService renewals;

    public CertificateController(ManagedCertificateRepository certificates, RenewalService renewals) {
        this.certificates = certificates;
        this.renewals = renewals;
    }

    @GetMapping
    public List<CertificateView> list(Account account, @RequestParam(required = false) String status) {
        CertificateStatus wanted = status == null ? null : parseStatus(status);
        PageRequest page = PageRequest.of(0, MAX_LIST);
        return (wanted == null ? certificates.findByAccountIdOrderByCreatedAtDesc(account.id(), page)
                : certificates.findByAccountIdAndStatusOrderByCreatedAtDesc(account.id(), wanted, page))
                .stream().map(CertificateView::of).toList();
    }

    @GetMapping("/{certificateId}")
    public CertificateView get(Account account, @PathVariable String certificateId) {
        return certificates.findByIdAndAccountId(certificateId, account.id()).map(CertificateView::of)
                .orElseThrow(() -> notFound(certificateId));
    }

    @PostMapping("/{certificateId}/renew")
    public ResponseEntity<RenewalAccepted> renew(Account account, @PathVariable String certificateId) {
        UUID eventId;
        try {
            eventId = renewals.renewNow(account.id(), certificateId).orElseThrow(() -> notFound(certificateId));
        } catch (NotRenewableException e) {
            throw new ConflictException(e.getMessage());
        } catch (OptimisticLockingFailureException e) {
            throw new ConflictException("Certificate " + certificateId + " is changing right now; try again.");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new RenewalAccepted(certificateId, eventId));
    }

    private static NotFoundException notFound(String certificateId) {
        return new NotFoundException("No certificate " + certificateId + ".");
    }

    private static CertificateStatus parseStatus(String status) {
        try {
            return CertificateStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status: '" + status + "' is not one of "
                    + java.util.Arrays.toString(CertificateStatus.values()));
        }
    }
}
