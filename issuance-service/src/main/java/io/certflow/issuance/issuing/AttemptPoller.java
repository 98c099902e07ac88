package io.certflow.issuance.issuing;

import io.certflow.issuance.persistence.AttemptState;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.issuance.persistence.IssuanceAttemptRepository;
import io.certflow.issuance.persistence.ManagedCertificateRecord;
import io.certflow.platform.polling.PollGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.springframework.data.mongodb.core.query.Criteria.where;

/**
 * The only place that talks to the CA: every {@code poll-interval} it takes the attempts whose
 * {@code nextPollAt} has come, claims each (a version-checked write that moves {@code nextPollAt}
 * past a lease, so no other poller takes it), advances it one step with {@link AttemptStepper}, and
 * saves the new state together with the events it raised in one write. One step writes twice: before a new
 * ACME order is asked for, the stepper saves the order intent on the claimed document (see {@link OrderIntents}),
 * and the outcome is saved on top of it.
 *
 * <p>With {@code step-concurrency} above one, the scheduled run {@link #feed()} hands due attempts to that many step
 * threads and returns without waiting for them: a thread that finishes a step takes the next due attempt at once
 * (it feeds again), so no step waits for the slowest of a batch. An attempt being stepped is not handed out again
 * (and each is claimed on its own, so two steps never touch one attempt even across instances). A step mostly
 * waits for the CA; stepping one attempt after another made the CA's round trips the platform's pace (see
 * docs/benchmarks.md). {@link #pollDue()} steps one run and waits for it (tests, and a concurrency of one).
 *
 * <p>If an event changed the attempt meanwhile (a cancellation, a late challenge answer), the save
 * fails on the version; the outcome is applied again to the fresh document only if that document is
 * still in the state the step started from, and dropped otherwise.
 */
public class AttemptPoller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AttemptPoller.class);
    private static final int SAVE_ATTEMPTS = 3;

    private final MongoTemplate mongo;
    private final IssuanceAttemptRepository attempts;
    private final AttemptStepper stepper;
    private final Clock clock;
    private final Duration claimLease;
    private final int batchSize;
    private final ExecutorService steps;
    private final int stepConcurrency;
    /** Ids of the attempts handed to a step thread and not finished yet. */
    private final Set<String> stepping = ConcurrentHashMap.newKeySet();
    /** Skips the scheduled look while no attempt is due; attempts saved here end the quiet ({@link AttemptSaves}). */
    private final PollGate gate;

    /** A poller that steps one attempt after another (tests). */
    public AttemptPoller(MongoTemplate mongo, IssuanceAttemptRepository attempts, AttemptStepper stepper, Clock clock,
                         Duration claimLease, int batchSize) {
        this(mongo, attempts, stepper, clock, claimLease, batchSize, 1, new PollGate(Duration.ZERO));
    }

    /**
     * @param stepConcurrency how many attempts are stepped at once (each step mostly waits for the CA)
     * @param gate            spares the scheduled look while no attempt is due
     */
    public AttemptPoller(MongoTemplate mongo, IssuanceAttemptRepository attempts, AttemptStepper stepper, Clock clock,
                         Duration claimLease, int batchSize, int stepConcurrency, PollGate gate) {
        this.gate = gate;
        this.mongo = mongo;
        this.attempts = attempts;
        this.stepper = stepper;
        this.clock = clock;
        this.claimLease = claimLease;
        this.batchSize = batchSize;
        if (stepConcurrency < 1) {
            throw new IllegalArgumentException("step concurrency must be at least 1, not " + stepConcurrency);
        }
        this.stepConcurrency = stepConcurrency;
        AtomicInteger threads = new AtomicInteger();
        this.steps = stepConcurrency == 1 ? null : Executors.newFixedThreadPool(stepConcurrency, r -> {
            Thread t = new Thread(r, "attempt-step-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        if (steps != null) {
            steps.shutdownNow();
        }
    }

    /**
     * The scheduled run: with one step thread, {@link #pollDue()}; with more, hands due attempts to the free step
     * threads and returns at once. Each thread feeds again when its step is done.
     */
    @Scheduled(fixedDelayString = "${certflow.issuance.poll-interval:100ms}")
    public void feed() {
        if (steps == null) {
            pollDue();
            return;
        }
        if (!gate.shouldPoll()) {
            return;
        }
        synchronized (stepping) {
            int free = Math.min(batchSize, stepConcurrency - stepping.size());
            if (free <= 0) {
                return;
            }
            long mark = gate.mark();
            List<IssuanceAttempt> due = due(free + stepping.size());
            if (due.isEmpty() && stepping.isEmpty()) {
                nextDue().ifPresent(next -> gate.quietFor(Duration.between(clock.instant(), next), mark));
                return;
            }
            for (IssuanceAttempt attempt : due) {
                if (stepping.size() >= stepConcurrency) {
                    break;
                }
                if (stepping.add(attempt.getId())) {
                    try {
                        steps.execute(() -> {
                            try {
                                step(attempt, new AtomicInteger());
                            } finally {
                                stepping.remove(attempt.getId());
                            }
                            feed();
                        });
                    } catch (RejectedExecutionException e) {
                        stepping.remove(attempt.getId()); // shutting down
                        return;
                    }
                }
            }
        }
    }

    /** Advances every due attempt by one step and waits for them; returns how many were advanced. */
    public int pollDue() {
        List<IssuanceAttempt> due = due(batchSize);
        AtomicInteger advanced = new AtomicInteger();
        List<Runnable> work = due.stream().<Runnable>map(attempt -> () -> step(attempt, advanced)).toList();
        if (steps == null) {
            work.forEach(Runnable::run);
        } else {
            CompletableFuture.allOf(work.stream().map(w -> CompletableFuture.runAsync(w, steps))
                    .toArray(CompletableFuture[]::new)).join();
        }
        return advanced.get();
    }

    /** The attempts due now, soonest first, that no step thread holds; none when the store cannot be read. */
    private List<IssuanceAttempt> due(int limit) {
        try {
            return mongo.find(Query.query(where("state").in(AttemptState.POLLED).and("nextPollAt").lte(clock.instant()))
                    .with(Sort.by("nextPollAt")).limit(limit), IssuanceAttempt.class).stream()
                    .filter(a -> !stepping.contains(a.getId()))
                    .toList();
        } catch (RuntimeException e) {
            log.warn("attempt poller: cannot read due attempts, will retry: {}", e.toString());
            return List.of();
        }
    }

    /** When the soonest attempt that needs the CA is due (far ahead when none does); empty when unknown. */
    private java.util.Optional<Instant> nextDue() {
        try {
            Query soonest = Query.query(where("state").in(AttemptState.POLLED)).with(Sort.by("nextPollAt")).limit(1);
            soonest.fields().include("nextPollAt");
            org.bson.Document next = mongo.findOne(soonest, org.bson.Document.class,
                    mongo.getCollectionName(IssuanceAttempt.class));
            return java.util.Optional.of(next == null || !(next.get("nextPollAt") instanceof java.util.Date at)
                    ? Instant.MAX : at.toInstant());
        } catch (RuntimeException e) {
            log.warn("attempt poller: cannot read the next due attempt, will look again: {}", e.toString());
            return java.util.Optional.empty();
        }
    }

    private void step(IssuanceAttempt attempt, AtomicInteger advanced) {
        try {
            if (advance(attempt)) {
                advanced.incrementAndGet();
            }
        } catch (RuntimeException e) {
            log.error("attempt {}: poller step failed; it is retried after its lease", attempt.getId(), e);
        }
    }

    private boolean advance(IssuanceAttempt due) {
        Instant now = clock.instant();
        AttemptState startState = due.getState();
        Instant startSince = due.getStateSince();
        due.claim(now.plus(claimLease), now);
        IssuanceAttempt claimed;
        try {
            claimed = attempts.save(due);
        } catch (OptimisticLockingFailureException e) {
            log.debug("attempt {} changed before it was claimed; skipped", due.getId());
            return false;
        }
        AttemptChange change = stepper.advance(claimed);
        IssuanceAttempt current = claimed;
        for (int i = 1; i <= SAVE_ATTEMPTS; i++) {
            change.applyTo(current);
            try {
                IssuanceAttempt saved = attempts.save(current);
                afterSave(saved);
                return true;
            } catch (OptimisticLockingFailureException e) {
                current = attempts.findById(due.getId()).orElse(null);
                if (current == null || current.getState() != startState
                        || !Objects.equals(current.getStateSince(), startSince)) {
                    log.info("attempt {} was changed by an event during its step; outcome dropped", due.getId());
                    return false;
                }
            }
        }
        log.warn("attempt {}: could not save the step's outcome; it is retried after its lease", due.getId());
        return false;
    }

    /** Records the issued serial on the certificate (a second document, so after the attempt's write). */
    private void afterSave(IssuanceAttempt saved) {
        if (saved.getState() == AttemptState.ISSUED && saved.getIssuedSerialNumber() != null) {
            mongo.updateFirst(Query.query(where("_id").is(saved.getCertificateId())),
                    new Update().set("currentSerialNumber", saved.getIssuedSerialNumber()).inc("version", 1),
                    ManagedCertificateRecord.class);
        }
    }
}
