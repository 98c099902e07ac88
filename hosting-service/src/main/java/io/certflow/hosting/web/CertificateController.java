package io.certflow.hosting.web;

import io.certflow.hosting.managing.CertificateStatus;
import io.certflow.hosting.managing.ManagedCertificate;
import io.certflow.hosting.managing.NotRenewableException;
import io.certflow.hosting.persistence.CertificateSearch;
import io.certflow.hosting.persistence.ManagedCertificateRepository;
import io.certflow.hosting.renewal.RenewalService;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import io.certflow.platform.web.NotFoundException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.IDN;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The hosting API: the caller's certificates, filtered and a page at a time; one certificate with its
 * versions, renewal attempts and deployments; renewal on demand; pausing and resuming hosting.
 */
@RestController
@RequestMapping("/api/v1/certificates")
public class CertificateController {

    /** Most certificates one page holds. */
    static final int MAX_PAGE_SIZE = 500;
    static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_REASON = 500;

    private final ManagedCertificateRepository certificates;
    private final CertificateSearch search;
    private final RenewalService renewals;
    private final Clock clock;

    public CertificateController(ManagedCertificateRepository certificates, CertificateSearch search,
                                 RenewalService renewals, Clock clock) {
        this.certificates = certificates;
        this.search = search;
        this.renewals = renewals;
        this.clock = clock;
    }

    /**
     * The caller's certificates, newest first. The total is in {@code X-Total-Count}, the next page in a
     * {@code Link} header ({@code rel="next"}) while there is one.
     */
    @GetMapping
    public ResponseEntity<List<CertificateSummary>> list(Account account,
                                                         @RequestParam(required = false) String status,
                                                         @RequestParam(required = false) Integer expiringWithinDays,
                                                         @RequestParam(required = false) Boolean failing,
                                                         @RequestParam(required = false) String domain,
                                                         @RequestParam(defaultValue = "0") int page,
                                                         @RequestParam(defaultValue = "" + DEFAULT_PAGE_SIZE) int size) {
        if (page < 0 || page > 100_000) {
            throw new BadRequestException("page: must be from 0 to 100000, was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new BadRequestException("size: must be from 1 to " + MAX_PAGE_SIZE + ", was " + size);
        }
        if (expiringWithinDays != null && (expiringWithinDays < 0 || expiringWithinDays > 3650)) {
            throw new BadRequestException("expiringWithinDays: must be from 0 to 3650, was " + expiringWithinDays);
        }
        CertificateSearch.Filter filter = new CertificateSearch.Filter(account.id(), parseStatuses(status),
                expiringWithinDays == null ? null : clock.instant().plus(Duration.ofDays(expiringWithinDays)),
                Boolean.TRUE.equals(failing), parseDomain(domain));
        List<ManagedCertificate> found = search.find(filter, page, size);
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Total-Count", Long.toString(found.size() <= size && page == 0 ? found.size() : search.count(filter)));
        if (found.size() > size) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page", page + 1)
                    .replaceQueryParam("size", size).build().toUriString();
            headers.add(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return ResponseEntity.ok().headers(headers)
                .body(found.stream().limit(size).map(CertificateSummary::of).toList());
    }

    @GetMapping("/{certificateId}")
    public CertificateView get(Account account, @PathVariable String certificateId) {
        return certificates.findByIdAndAccountId(certificateId, account.id()).map(CertificateView::of)
                .orElseThrow(() -> notFound(certificateId));
    }

    /** Renews now, past any backoff after failures; answers with the renewal already running if there is one. */
    @PostMapping("/{certificateId}/renew")
    public ResponseEntity<RenewalAccepted> renew(Account account, @PathVariable String certificateId) {
        UUID eventId = change(certificateId, () -> renewals.renewNow(account.id(), certificateId));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new RenewalAccepted(certificateId, eventId));
    }

    /** Pauses hosting: nothing is renewed until it is resumed. Pausing a paused certificate changes nothing. */
    @PostMapping("/{certificateId}/pause")
    public CertificateView pause(Account account, @PathVariable String certificateId,
                                 @RequestBody(required = false) PauseRequest request) {
        String reason = request == null || request.reason() == null || request.reason().isBlank() ? null
                : request.reason().strip();
        if (reason != null && reason.length() > MAX_REASON) {
            throw new BadRequestException("reason: at most " + MAX_REASON + " characters");
        }
        return CertificateView.of(change(certificateId, () -> renewals.pause(account.id(), certificateId, reason)));
    }

    /** Resumes hosting: the next renewal is planned again (at once when overdue). */
    @PostMapping("/{certificateId}/resume")
    public CertificateView resume(Account account, @PathVariable String certificateId) {
        return CertificateView.of(change(certificateId, () -> renewals.resume(account.id(), certificateId)));
    }

    private static <T> T change(String certificateId, Supplier<Optional<T>> change) {
        try {
            return change.get().orElseThrow(() -> notFound(certificateId));
        } catch (NotRenewableException e) {
            throw new ConflictException(e.getMessage());
        } catch (OptimisticLockingFailureException e) {
            throw new ConflictException("Certificate " + certificateId + " is changing right now; try again.");
        }
    }

    private static NotFoundException notFound(String certificateId) {
        return new NotFoundException("No certificate " + certificateId + ".");
    }

    private static Set<CertificateStatus> parseStatuses(String status) {
        Set<CertificateStatus> statuses = EnumSet.noneOf(CertificateStatus.class);
        if (status == null || status.isBlank()) {
            return statuses;
        }
        for (String one : status.split(",")) {
            try {
                statuses.add(CertificateStatus.valueOf(one.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("status: '" + one.trim() + "' is not one of "
                        + Arrays.toString(CertificateStatus.values()));
            }
        }
        return statuses;
    }

    private static String parseDomain(String domain) {
        if (domain == null || domain.isBlank()) {
            return null;
        }
        String name = domain.trim().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("domain: '" + domain + "' is not a domain name");
        }
    }
}
