package io.certflow.issuance.web;

import io.certflow.issuance.persistence.AttemptFailure;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.issuance.persistence.ManagedCertificateRepository;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.NotFoundException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/**
 * The caller's view of how issuance of one of its certificates went: every attempt, its state, its
 * challenges and why it failed. Another account's certificate is a 404.
 */
@RestController
public class AttemptController {

    private final IssuanceAttemptRepository attempts;
    private final ManagedCertificateRepository certificates;

    public AttemptController(IssuanceAttemptRepository attempts, ManagedCertificateRepository certificates) {
        this.attempts = attempts;
        this.certificates = certificates;
    }

    @GetMapping("/api/v1/certificates/{certificateId}/attempts")
    public List<AttemptView> attempts(Account account, @PathVariable String certificateId) {
        List<IssuanceAttempt> found = attempts.findByCertificateIdAndAccountIdOrderByCreatedAtAsc(certificateId, account.id());
        if (found.isEmpty() && certificates.findByIdAndAccountId(certificateId, account.id()).isEmpty()) {
            throw new NotFoundException("no certificate " + certificateId);
        }
        return found.stream().map(AttemptView::of).toList();
    }

    /**
     * One attempt as the API shows it (no key material).
     *
     * @param attemptId            the attempt
     * @param certificateId        its certificate
     * @param trigger              {@code FIRST_ISSUANCE} or {@code RENEWAL}
     * @param triggerEventId       the event that started it
     * @param state                where it is
     * @param domains              the names ordered
     * @param orderUrl             the ACME order
     * @param challenges           the DNS-01 records asked for
     * @param replacesSerialNumber the serial a renewal replaces
     * @param serialNumber         the serial issued
     * @param transientFailures    transient CA failures in a row
     * @param lastError            the last error seen
     * @param failure              why it failed
     * @param nextPollAt           when the CA is asked next
     * @param waitingForRateLimit  whether it waits for a new-order slot (the per-account limit is reached)
     * @param rateLimitedSince     since when it waits for a slot (its place in line)
     * @param rateLimitedUntil     until when it waits for a slot at least
     * @param waitingForCaSince    since when it waits, parked, for a CA that cannot be reached (its circuit is open)
     * @param createdAt            when it started
     * @param updatedAt            its last change
     */
    public record AttemptView(String attemptId, String certificateId, String trigger, String triggerEventId, String state,
                              List<String> domains, String orderUrl, List<ChallengeView> challenges,
                              String replacesSerialNumber, String serialNumber, int transientFailures, String lastError,
                              AttemptFailure failure, Instant nextPollAt, boolean waitingForRateLimit,
                              Instant rateLimitedSince, Instant rateLimitedUntil, Instant waitingForCaSince,
                              Instant createdAt, Instant updatedAt) {

        static AttemptView of(IssuanceAttempt a) {
            return new AttemptView(a.getId(), a.getCertificateId(), a.getTrigger().name(), a.getTriggerEventId(),
                    a.getState().name(), a.getDomains(), a.getOrderUrl(),
                    a.getChallenges().stream().map(c -> new ChallengeView(c.domain(), c.recordName(), c.txtValue())).toList(),
                    a.getReplacesSerialNumber(), a.getIssuedSerialNumber(), a.getTransientFailures(), a.getLastError(),
                    a.getFailure(), a.getNextPollAt(), a.waitingForRateLimit(),
                    a.waitingForRateLimit() ? a.getWaitingForRateLimitSince() : null,
                    a.waitingForRateLimit() ? a.getRateLimitedUntil() : null, a.getWaitingForCaSince(),
                    a.getCreatedAt(), a.getUpdatedAt());
        }
    }

    /**
     * A DNS-01 record asked for.
     *
     * @param domain     the domain
     * @param recordName the TXT name
     * @param txtValue   the TXT value
     */
    public record ChallengeView(String domain, String recordName, String txtValue) {
    }
}
