package io.certflow.deployment.deploying;

import io.certflow.deployment.config.DeploymentProperties;
import io.certflow.deployment.metrics.DeploymentMetrics;
import io.certflow.deployment.persistence.DeploymentJob;
import io.certflow.deployment.persistence.DeploymentJobRepository;
import io.certflow.deployment.persistence.DeploymentTask;
import io.certflow.deployment.persistence.DeploymentTaskRepository;
import io.certflow.deployment.persistence.IssuedCertificateRepository;
import io.certflow.deployment.persistence.JobStatus;
import io.certflow.deployment.persistence.JobTrigger;
import io.certflow.deployment.persistence.ResourceResult;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.platform.maintenance.MaintenanceSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * Runs deployment jobs, off the listener threads: claims a PENDING job whose time has come (an automatic job waits
 * out the account's maintenance windows, checked again right before it is claimed) (a version-checked write, so two
 * instances never run the same job; a RUNNING job whose lease ran out is taken over), fetches the bundle,
 * deploys to each resource, and stores the per-resource results with {@code DeploymentCompleted} in the same
 * write. A full success marks the task as succeeded once, which makes it inherit renewals.
 */
@Component
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** Jobs run by one scheduled call at most (then the scheduler's poll interval passes). */
    private static final int JOBS_PER_POLL = 100;
    /** Due jobs read to claim the next one (the first claimable of them is taken). */
    private static final int CANDIDATES = 10;

    private final MongoTemplate mongo;
    private final DeploymentJobRepository jobs;
    private final DeploymentTaskRepository tasks;
    private final IssuedCertificateRepository certificates;
    private final ResourceDeployer deployer;
    private final CertificateSource source;
    private final RenewalDeployments renewals;
    private final MaintenanceHolds holds;
    private final DeploymentProperties.Jobs settings;
    private final Clock clock;
    private final DeploymentMetrics metrics;
    private final ExecutorService runners;

    public JobRunner(MongoTemplate mongo, DeploymentJobRepository jobs, DeploymentTaskRepository tasks,
                     IssuedCertificateRepository certificates, ResourceDeployer deployer,
                     CertificateSource source, RenewalDeployments renewals, MaintenanceHolds holds,
                     DeploymentProperties properties, Clock clock, DeploymentMetrics metrics) {
        this.mongo = mongo;
        this.jobs = jobs;
        this.tasks = tasks;
        this.certificates = certificates;
        this.deployer = deployer;
        this.source = source;
        this.renewals = renewals;
        this.holds = holds;
        this.settings = properties.jobs();
        this.clock = clock;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.runners = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "deployment-job-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs what is due now, {@code certflow.deployment.jobs.concurrency} jobs at a time (each claimed on its own);
     * called by the scheduler. Jobs run together share their server's configuration test and reload (the targets
     * gather changes to one server), so a burst of first deployments after a burst of issuances is not a line of
     * reloads. Returns how many jobs it ran.
     */
    @Scheduled(fixedDelayString = "${certflow.deployment.jobs.poll-interval:1s}")
    public int runDueJobs() {
        int ran = 0;
        while (ran < JOBS_PER_POLL) {
            List<DeploymentJob> batch = new ArrayList<>();
            while (batch.size() < settings.concurrency() && ran + batch.size() < JOBS_PER_POLL) {
                Optional<DeploymentJob> job = claimNext();
                if (job.isEmpty()) {
                    break;
                }
                batch.add(job.get());
            }
            if (batch.isEmpty()) {
                break;
            }
            if (batch.size() == 1) {
                runLogged(batch.get(0));
            } else {
                CompletableFuture.allOf(batch.stream()
                        .map(job -> CompletableFuture.runAsync(() -> runLogged(job), runners))
                        .toArray(CompletableFuture[]::new)).join();
            }
            ran += batch.size();
        }
        return ran;
    }

    private void runLogged(DeploymentJob job) {
        try {
            run(job);
        } catch (RuntimeException e) {
            log.error("deployment job {} failed unexpectedly; it is taken over when its lease ends", job.getId(), e);
        }
    }

    @PreDestroy
    void stopRunners() {
        runners.shutdownNow();
    }

    private Optional<DeploymentJob> claimNext() {
        Instant now = clock.instant();
        Query due = new Query(new Criteria().orOperator(
                Criteria.where("status").is(JobStatus.PENDING).and("nextAttemptAt").lte(now),
                Criteria.where("status").is(JobStatus.RUNNING).and("leaseUntil").lt(now)))
                .with(Sort.by("createdAt")).limit(CANDIDATES);
        Map<String, MaintenanceSchedule> windows = new HashMap<>();
        for (DeploymentJob candidate : mongo.find(due, DeploymentJob.class)) {
            if (MaintenanceHolds.holdable(candidate)
                    && MaintenanceHolds.hold(candidate, windows.computeIfAbsent(candidate.getAccountId(), holds::scheduleOf), now)) {
                // a window set after the job was queued: it waits for its end like one queued inside it
                try {
                    jobs.save(candidate);
                    log.info("deployment job {} held: {}", candidate.getId(), candidate.getNotBeforeReason());
                } catch (OptimisticLockingFailureException e) {
                    log.debug("deployment job {} changed while it was held", candidate.getId());
                }
                continue;
            }
            if (candidate.getStatus() == JobStatus.RUNNING) {
                log.warn("deployment job {} was left RUNNING by a runner that stopped; taking it over", candidate.getId());
            }
            candidate.claim(now, settings.lease());
            try {
                return Optional.of(jobs.save(candidate));
            } catch (OptimisticLockingFailureException e) {
                log.debug("deployment job {} was claimed by another runner", candidate.getId());
            }
        }
        return Optional.empty();
    }

    private void run(DeploymentJob job) {
        Optional<DeploymentTask> found = tasks.findById(job.getTaskId());
        if (found.isEmpty()) {
            finish(job, j -> j.fail("the deployment task no longer exists", clock.instant()));
            return;
        }
        DeploymentTask task = found.get();
        if (job.getTrigger() == JobTrigger.RENEWAL && !task.inheritsRenewals()) {
            finish(job, j -> j.fail("renewal not deployed: " + Optional.ofNullable(task.getStoppedReason())
                    .orElse("the task does not inherit renewals"), clock.instant()));
            return;
        }
        CertificateBundle bundle;
        try {
            bundle = source.fetch(job.getCertificateId(), job.getSerialNumber());
        } catch (CertificateUnavailableException e) {
            fetchFailed(job, e);
            return;
        }
        log.info("running deployment job {} ({} of certificate {} version {}) on {} resource(s)", job.getId(),
                job.getTrigger(), job.getCertificateId(), job.getSerialNumber(), task.getResourceIds().size());
        List<ResourceResult> results = deployer.deploy(job.getId(), task, bundle);
        boolean succeeded = results.stream().allMatch(ResourceResult::succeeded);
        if (succeeded) {
            markTaskSucceeded(task.getId(), job.getSerialNumber());
        }
        long ok = results.stream().filter(ResourceResult::succeeded).count();
        long rolledBack = results.stream().filter(r -> ResourceResult.ROLLED_BACK.equals(r.outcome())).count();
        long skipped = results.stream().filter(r -> ResourceResult.SKIPPED.equals(r.outcome())).count();
        String summary = "deployed to " + ok + " of " + results.size() + " resource(s)"
                + (rolledBack > 0 ? ", " + rolledBack + " rolled back" : "") + (skipped > 0 ? ", " + skipped + " skipped" : "");
        DeploymentJob saved = finish(job, j -> j.finish(results, summary, clock.instant()));
        log.info("deployment job {} {}: {}", job.getId(), saved == null ? "finished (not stored)" : saved.getStatus(), summary);
        if (succeeded) {
            followLatestVersion(task.getId());
        }
    }

    private void fetchFailed(DeploymentJob job, CertificateUnavailableException e) {
        int attempt = job.getFetchAttempts() + 1;
        if (e.retryable() && attempt < settings.maxFetchAttempts()) {
            Duration wait = e.retryAfter().orElse(settings.fetchBackoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
            log.warn("deployment job {}: bundle not available ({}), attempt {} of {}, next in {}", job.getId(),
                    e.getMessage(), attempt, settings.maxFetchAttempts(), wait);
            Instant next = clock.instant().plus(wait);
            finish(job, j -> j.retryFetchAt(next, e.getMessage()));
        } else {
            log.warn("deployment job {}: bundle not available ({}); job failed", job.getId(), e.getMessage());
            finish(job, j -> j.fail("certificate bundle not available: " + e.getMessage(), clock.instant()));
        }
    }

    /** Applies the final change and saves (a finished job counted); a runner that lost its lease meanwhile only logs. */
    private DeploymentJob finish(DeploymentJob job, java.util.function.Consumer<DeploymentJob> change) {
        change.accept(job);
        try {
            DeploymentJob saved = jobs.save(job);
            metrics.finished(saved.getStatus(), saved.getTrigger());
            return saved;
        } catch (OptimisticLockingFailureException e) {
            log.warn("deployment job {} was taken over by another runner; this run's result is not stored", job.getId());
            return null;
        }
    }

    private void markTaskSucceeded(String taskId, String serial) {
        for (int attempt = 1; attempt <= 10; attempt++) {
            DeploymentTask task = tasks.findById(taskId).orElse(null);
            if (task == null || task.isSucceededOnce()) {
                return;
            }
            task.recordSuccess(serial, clock.instant());
            try {
                tasks.save(task);
                return;
            } catch (OptimisticLockingFailureException e) {
                log.debug("task {} changed concurrently; marking it succeeded again", taskId);
            }
        }
        throw new IllegalStateException("could not mark task " + taskId + " succeeded");
    }

    /** A version issued while the task had not yet succeeded is deployed now that it inherits. */
    private void followLatestVersion(String taskId) {
        tasks.findById(taskId).ifPresent(task -> certificates.findById(task.getCertificateId())
                .filter(c -> !c.isCancelled() && c.getLatestSerialNumber() != null)
                .ifPresent(c -> renewals.queueRenewal(task, c.getLatestSerialNumber())));
    }
}
