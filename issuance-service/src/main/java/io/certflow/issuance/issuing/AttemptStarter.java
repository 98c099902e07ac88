package io.certflow.issuance.issuing;

import io.certflow.events.CertificateEvent;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.ChallengeReady;
import io.certflow.events.v1.DomainsVerified;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.RenewalDue;
import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.issuance.persistence.ManagedCertificateRecord;
import io.certflow.platform.apply.IdempotentApply;
import io.certflow.platform.messaging.RejectedEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Applies the events issuance-service consumes to its documents, and starts attempts. Never calls the
 * CA (that is the poller's job), so listener threads only read and write MongoDB.
 *
 * <p>Starting an attempt is two writes without a transaction: first the certificate record points at
 * the attempt a trigger starts (the version check lets one trigger win a race), then the attempt is
 * inserted under a deterministic id with the trigger's id as a unique key. The second write is
 * repeated from the pointer whenever an event for the certificate is applied (also when a redelivery
 * is skipped), so a crash between the two loses nothing and a duplicate creates nothing.
 */
public class AttemptStarter {

    private static final Logger log = LoggerFactory.getLogger(AttemptStarter.class);
    private static final Set<AttemptState> BLOCKING_FIRST_ISSUANCE;

    static {
        Set<AttemptState> states = EnumSet.noneOf(AttemptState.class);
        for (AttemptState s : AttemptState.values()) {
            if (s.active() || s == AttemptState.ISSUED) {
                states.add(s);
            }
        }
        BLOCKING_FIRST_ISSUANCE = states;
    }

    private final IdempotentApply apply;
    private final IssuanceAttemptRepository attempts;
    private final PendingRevocations pendingRevocations;
    private final Clock clock;

    public AttemptStarter(IdempotentApply apply, IssuanceAttemptRepository attempts,
                          PendingRevocations pendingRevocations, Clock clock) {
        this.apply = apply;
        this.attempts = attempts;
        this.pendingRevocations = pendingRevocations;
        this.clock = clock;
    }

    /** Keeps the request; starts the first attempt if the domains were verified before it arrived. */
    public void requested(CertificateRequested event) {
        Instant now = clock.instant();
        ManagedCertificateRecord record = apply.apply(ManagedCertificateRecord.class, event.certificateId(), event,
                () -> ManagedCertificateRecord.create(event.certificateId(), event.accountId(), now),
                r -> {
                    sameAccount(r.getAccountId(), event);
                    r.requested(event, now);
                });
        ensureStarted(record);
    }

    /** Starts the first attempt, unless the certificate has an active or issued attempt already. */
    public void domainsVerified(DomainsVerified event) {
        Instant now = clock.instant();
        ManagedCertificateRecord record = apply.apply(ManagedCertificateRecord.class, event.certificateId(), event,
                () -> ManagedCertificateRecord.create(event.certificateId(), event.accountId(), now),
                r -> {
                    sameAccount(r.getAccountId(), event);
                    if (r.isCancelled()) {
                        log.info("certificate {} is cancelled; DomainsVerified {} ignored", r.getId(), event.eventId());
                    } else if (latestRunsOrIssued(r) || attempts.existsByCertificateIdAndStateIn(r.getId(), BLOCKING_FIRST_ISSUANCE)) {
                        log.info("certificate {} already has an active or issued attempt; DomainsVerified {} ignored",
                                r.getId(), event.eventId());
                    } else {
                        r.startAttempt(ManagedCertificateRecord.attemptIdFor(event.eventId()), event.eventId(),
                                AttemptTrigger.FIRST_ISSUANCE,
                                event.domains().stream().map(DomainsVerified.VerifiedDomain::domain).toList(), null, now);
                    }
                });
        ensureStarted(record);
    }

    /** Starts a renewal attempt replacing {@code currentSerialNumber}, unless one already runs. */
    public void renewalDue(RenewalDue event) {
        Instant now = clock.instant();
        ManagedCertificateRecord record = apply.apply(ManagedCertificateRecord.class, event.certificateId(), event, null,
                r -> {
                    sameAccount(r.getAccountId(), event);
                    if (r.isCancelled()) {
                        log.info("certificate {} is cancelled; RenewalDue {} ignored", r.getId(), event.eventId());
                    } else if (latestRuns(r)) {
                        log.info("certificate {} has an attempt running; RenewalDue {} ignored", r.getId(), event.eventId());
                    } else {
                        r.startAttempt(ManagedCertificateRecord.attemptIdFor(event.eventId()), event.eventId(),
                                AttemptTrigger.RENEWAL, r.getDomains(), event.currentSerialNumber(), now);
                    }
                });
        if (record == null) {
            log.warn("RenewalDue {} for unknown certificate {} ignored", event.eventId(), event.certificateId());
            return;
        }
        ensureStarted(record);
    }

    /** verification-service published (or could not publish) the challenge records of an attempt. */
    public void challengeReady(ChallengeReady event) {
        Instant now = clock.instant();
        IssuanceAttempt attempt = apply.apply(IssuanceAttempt.class, event.attemptId(), event, null, a -> {
            sameAccount(a.getAccountId(), event);
            if (!a.getCertificateId().equals(event.certificateId())) {
                throw new RejectedEventException("attempt " + a.getId() + " belongs to another certificate");
            }
            if (!a.challengeAnswered(Boolean.TRUE.equals(event.ready()), event.reason(), now)) {
                log.info("attempt {} is {}; ChallengeReady {} ignored", a.getId(), a.getState(), event.eventId());
            }
        });
        if (attempt == null) {
            log.warn("ChallengeReady {} for unknown attempt {} ignored", event.eventId(), event.attemptId());
        }
    }

    /**
     * Stops the certificate: no new attempts, and the running ones are cancelled. With {@code revoke}, the record
     * remembers it and every version still valid (not revoked, not expired) is marked for revocation
     * ({@link PendingRevocations#request}); {@link PendingRevocations} asks the CA off this thread. A replayed or
     * repeated cancellation finds the versions marked or revoked and asks for nothing twice.
     */
    public void orderCancelled(OrderCancelled event) {
        Instant now = clock.instant();
        ManagedCertificateRecord record = apply.apply(ManagedCertificateRecord.class, event.certificateId(), event, null,
                r -> {
                    sameAccount(r.getAccountId(), event);
                    r.cancel(now);
                    if (Boolean.TRUE.equals(event.revoke())) {
                        r.revocationRequested(now);
                    }
                });
        if (record == null) {
            log.info("OrderCancelled {} for unknown certificate {} ignored", event.eventId(), event.certificateId());
            return;
        }
        List<IssuanceAttempt> running = attempts.findByCertificateIdAndStateIn(event.certificateId(), AttemptState.POLLED);
        for (IssuanceAttempt attempt : running) {
            apply.apply(IssuanceAttempt.class, attempt.getId(), event, null, a -> a.cancel(now));
        }
        if (Boolean.TRUE.equals(event.revoke())) {
            pendingRevocations.request(event.certificateId(), now);
        }
    }

    /** Writes the attempt the record points at, if it is not written yet. */
    void ensureStarted(ManagedCertificateRecord record) {
        if (record == null || !record.isRequested() || record.isCancelled() || record.getLatestAttempt() == null) {
            return;
        }
        ManagedCertificateRecord.LatestAttempt latest = record.getLatestAttempt();
        if (attempts.existsById(latest.attemptId())) {
            return;
        }
        List<String> domains = record.getDomains().isEmpty() ? latest.domains() : record.getDomains();
        IssuanceAttempt attempt = IssuanceAttempt.start(latest.attemptId(), record.getAccountId(), record.getId(),
                UUID.fromString(latest.triggerEventId()), latest.trigger(), domains, record.getKeyType(),
                record.getCaProfile(), latest.replacesSerialNumber(), clock.instant());
        if (record.isReuseKey()) {
            attempt.reuseKeyOfReplacedVersion();
        }
        try {
            attempts.insert(attempt);
            log.info("attempt {} started for certificate {} ({})", attempt.getId(), record.getId(), latest.trigger());
        } catch (DuplicateKeyException e) {
            log.debug("attempt {} was started concurrently", latest.attemptId());
        }
    }

    /** Whether the record's latest attempt is still to be written or still runs. */
    private boolean latestRuns(ManagedCertificateRecord record) {
        if (record.getLatestAttempt() == null) {
            return false;
        }
        return attempts.findById(record.getLatestAttempt().attemptId())
                .map(a -> a.getState().active())
                .orElse(true);
    }

    private boolean latestRunsOrIssued(ManagedCertificateRecord record) {
        if (record.getLatestAttempt() == null) {
            return false;
        }
        return attempts.findById(record.getLatestAttempt().attemptId())
                .map(a -> a.getState().active() || a.getState() == AttemptState.ISSUED)
                .orElse(true);
    }

    private static void sameAccount(String owner, CertificateEvent event) {
        if (owner != null && !owner.equals(event.accountId())) {
            throw new RejectedEventException(event.getClass().getSimpleName() + " " + event.eventId()
                    + " names account " + event.accountId() + ", but certificate " + event.certificateId()
                    + " belongs to another account");
        }
    }
}
