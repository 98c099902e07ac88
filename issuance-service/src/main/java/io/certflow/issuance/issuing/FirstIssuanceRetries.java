package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.AttemptTrigger;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.ManagedCertificateRecord;
import io.certflow.issuance.persistence.ManagedCertificateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * Tries a first issuance again after it failed for a reason that may pass (the challenge could not be published, the
 * CA stayed unreachable, the CA's validation met a DNS server that was down): without it the certificate would wait
 * for ever, because renewals (hosting-service's retries) only exist once a certificate was issued. The waits double
 * from {@code initial-backoff} (1 h) to {@code max-backoff} (32 h), as cert-manager's do, for as long as the order is
 * not cancelled; a final failure (the CA refused the order) is never retried.
 *
 * <p>A retry is a new attempt under a deterministic id (from the failed attempt's), started like every attempt: the
 * certificate record points at it first, then {@link AttemptStarter#ensureStarted} writes it. The failed attempt is
 * marked decided last, so a crash in between repeats the decision and finds the new attempt already there. Anything
 * newer (a new {@code DomainsVerified}, a cancellation) wins over the retry.
 */
public class FirstIssuanceRetries {

    private static final Logger log = LoggerFactory.getLogger(FirstIssuanceRetries.class);

    private final MongoTemplate mongo;
    private final ManagedCertificateRepository records;
    private final AttemptStarter starter;
    private final IssuanceProperties.FirstIssuanceRetry settings;
    private final Clock clock;
    private final int batchSize;

    public FirstIssuanceRetries(MongoTemplate mongo, ManagedCertificateRepository records, AttemptStarter starter,
                                IssuanceProperties.FirstIssuanceRetry settings, Clock clock, int batchSize) {
        this.mongo = mongo;
        this.records = records;
        this.starter = starter;
        this.settings = settings;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Decides on every retryably failed first issuance whose wait is over. */
    @Scheduled(fixedDelayString = "${certflow.issuance.first-issuance-retry.check-interval:30s}")
    public void run() {
        Query undecided = Query.query(where("state").is(AttemptState.FAILED).and("trigger").is(AttemptTrigger.FIRST_ISSUANCE)
                .and("failure.retryable").is(true).and("retryDecidedAt").exists(false)).limit(batchSize);
        for (IssuanceAttempt failed : mongo.find(undecided, IssuanceAttempt.class)) {
            try {
                decide(failed, clock.instant());
            } catch (OptimisticLockingFailureException e) {
                log.debug("certificate {} changed meanwhile; its retry is decided next time", failed.getCertificateId());
            } catch (RuntimeException e) {
                log.warn("retry of attempt {} not decided: {}", failed.getId(), e.toString());
            }
        }
    }

    private void decide(IssuanceAttempt failed, Instant now) {
        long failures = mongo.count(Query.query(where("certificateId").is(failed.getCertificateId())
                .and("trigger").is(AttemptTrigger.FIRST_ISSUANCE).and("state").is(AttemptState.FAILED)), IssuanceAttempt.class);
        if (now.isBefore(failed.getStateSince().plus(backoff(failures)))) {
            return;
        }
        ManagedCertificateRecord record = records.findById(failed.getCertificateId()).orElse(null);
        boolean stillLatest = record != null && record.getLatestAttempt() != null
                && record.getLatestAttempt().attemptId().equals(failed.getId());
        if (stillLatest && record.isRequested() && !record.isCancelled()) {
            UUID trigger = UUID.nameUUIDFromBytes(("first-issuance-retry:" + failed.getId()).getBytes(StandardCharsets.UTF_8));
            record.startAttempt(ManagedCertificateRecord.attemptIdFor(trigger), trigger, AttemptTrigger.FIRST_ISSUANCE,
                    record.getLatestAttempt().domains(), null, now);
            record = records.save(record);
            log.info("certificate {}: first issuance failed {} time(s), trying again (attempt {})", record.getId(),
                    failures, record.getLatestAttempt().attemptId());
        }
        starter.ensureStarted(record);
        mongo.updateFirst(Query.query(where("_id").is(failed.getId()).and("retryDecidedAt").exists(false)),
                new Update().set("retryDecidedAt", now).inc("version", 1), IssuanceAttempt.class);
    }

    /** The wait after the {@code failures}-th failure: the initial backoff doubled each time, at most the maximum. */
    Duration backoff(long failures) {
        Duration wait = settings.initialBackoff();
        for (long i = 1; i < failures && wait.compareTo(settings.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }
}
