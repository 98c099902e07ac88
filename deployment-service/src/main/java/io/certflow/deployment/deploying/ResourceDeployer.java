package io.certflow.deployment.deploying;

import io.certflow.deployment.config.DeploymentProperties;
import io.certflow.deployment.credentials.CredentialUnavailableException;
import io.certflow.deployment.persistence.DeploymentTask;
import io.certflow.deployment.persistence.Resource;
import io.certflow.deployment.persistence.ResourceLocks;
import io.certflow.deployment.persistence.ResourceRepository;
import io.certflow.deployment.persistence.ResourceResult;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DeploymentTargets;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Deploys one bundle to a task's resources: several at once, but at most {@code parallelism} per target type (per
 * instance), one job at a time per resource (across instances, {@link ResourceLocks}), a resource whose failure may
 * pass (unreachable, busy) tried again after a growing wait. A task that stops at its first failure deploys one
 * resource after another, in its order, and starts none after the first failure. Every resource gets one {@link ResourceResult}, in the task's order.
 */
@Component
public class ResourceDeployer {

    private static final Logger log = LoggerFactory.getLogger(ResourceDeployer.class);

    private final ResourceRepository resources;
    private final DeploymentTargets targets;
    private final TargetResources targetResources;
    private final ResourceLocks locks;
    private final DeploymentProperties.Jobs settings;
    private final Clock clock;
    private final ExecutorService workers;
    private final Map<String, Semaphore> perType = new ConcurrentHashMap<>();

    public ResourceDeployer(ResourceRepository resources, DeploymentTargets targets, TargetResources targetResources,
                            ResourceLocks locks, DeploymentProperties properties, Clock clock) {
        this.resources = resources;
        this.targets = targets;
        this.targetResources = targetResources;
        this.locks = locks;
        this.settings = properties.jobs();
        this.clock = clock;
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "deploy-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Deploys {@code bundle} to every resource of {@code task} for job {@code jobId}. */
    public List<ResourceResult> deploy(String jobId, DeploymentTask task, CertificateBundle bundle) {
        Map<String, Resource> byId = resources.findByAccountIdAndIdIn(task.getAccountId(), task.getResourceIds()).stream()
                .collect(Collectors.toMap(Resource::getId, Function.identity()));
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<CompletableFuture<ResourceResult>> results = new ArrayList<>();
        for (String resourceId : task.getResourceIds()) {
            Resource resource = byId.get(resourceId);
            Optional<DeploymentTarget> target = resource == null ? Optional.empty() : targets.find(resource.getType());
            if (resource == null || target.isEmpty()) {
                ResourceResult failed = resource == null
                        ? ResourceResult.failedBefore(resourceId, null, null, "the resource no longer exists")
                        : ResourceResult.failedBefore(resourceId, resource.getName(), resource.getType(),
                        "no deployment target of type " + resource.getType());
                noteFailure(firstFailure, failed);
                results.add(CompletableFuture.completedFuture(failed));
                continue;
            }
            Semaphore slots = perType.computeIfAbsent(resource.getType(), t -> new Semaphore(settings.parallelism()));
            slots.acquireUninterruptibly();
            if (task.getOnFailure() == DeploymentTask.FailurePolicy.STOP && firstFailure.get() != null) {
                slots.release();
                results.add(CompletableFuture.completedFuture(new ResourceResult(resourceId, resource.getName(),
                        resource.getType(), ResourceResult.FAILED, null, "not deployed: the task stops at its first "
                        + "failure (" + firstFailure.get() + ")", ResourceResult.SKIPPED, 0)));
                continue;
            }
            CompletableFuture<ResourceResult> result = CompletableFuture.supplyAsync(() -> {
                try {
                    ResourceResult done = deployOne(jobId, resource, target.get(), bundle);
                    noteFailure(firstFailure, done);
                    return done;
                } finally {
                    slots.release();
                }
            }, workers);
            if (task.getOnFailure() == DeploymentTask.FailurePolicy.STOP) {
                result.join(); // one after another, so that nothing starts after the first failure
            }
            results.add(result);
        }
        return results.stream().map(CompletableFuture::join).toList();
    }

    private ResourceResult deployOne(String jobId, Resource resource, DeploymentTarget target, CertificateBundle bundle) {
        DeploymentOutcome outcome = null;
        int attempt = 0;
        while (attempt < settings.resourceAttempts()) {
            attempt++;
            outcome = attempt(jobId, resource, target, bundle);
            if (outcome.succeeded() || !outcome.retryable() || attempt >= settings.resourceAttempts()) {
                break;
            }
            Duration wait = settings.resourceBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
            log.info("resource {} ({}): {}; trying again in {} (attempt {} of {})", resource.getName(), resource.getType(),
                    outcome.message(), wait, attempt + 1, settings.resourceAttempts());
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String result = outcome.succeeded() ? ResourceResult.DEPLOYED
                : outcome.status() == DeploymentOutcome.Status.ROLLED_BACK ? ResourceResult.ROLLED_BACK : ResourceResult.FAILED;
        String message = outcome.message() + (outcome.retryable() && !outcome.succeeded()
                ? " (tried " + attempt + " time" + (attempt == 1 ? "" : "s") + ")" : "");
        return new ResourceResult(resource.getId(), resource.getName(), resource.getType(),
                outcome.succeeded() ? ResourceResult.SUCCEEDED : ResourceResult.FAILED, outcome.servedSerialNumber(),
                message, result, attempt);
    }

    private DeploymentOutcome attempt(String jobId, Resource resource, DeploymentTarget target, CertificateBundle bundle) {
        if (!locks.acquire(resource.getId(), jobId, clock.instant(), settings.lease())) {
            return DeploymentOutcome.unreachable("another deployment job (" + locks.holder(resource.getId())
                    + ") is deploying to this resource");
        }
        try {
            return target.deploy(targetResources.of(resource), bundle);
        } catch (CredentialUnavailableException e) {
            return DeploymentOutcome.failed(null, e.getMessage(), null);
        } catch (RuntimeException e) {
            log.error("deploying to resource {} failed unexpectedly", resource.getId(), e);
            return DeploymentOutcome.failed(null, "unexpected failure: " + e.getClass().getSimpleName(), null);
        } finally {
            locks.release(resource.getId(), jobId);
        }
    }

    private static void noteFailure(AtomicReference<String> firstFailure, ResourceResult result) {
        if (!result.succeeded()) {
            firstFailure.compareAndSet(null, (result.name() == null ? result.resourceId() : result.name()) + ": "
                    + result.message());
        }
    }
}
