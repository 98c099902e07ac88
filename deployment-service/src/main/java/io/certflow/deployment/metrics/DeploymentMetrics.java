package io.certflow.deployment.metrics;

import io.certflow.deployment.persistence.JobStatus;
import io.certflow.deployment.persistence.JobTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * Counts finished deployment jobs, so that failing deployments raise an alert (deploy/prometheus/alerts.yml):
 * {@code certflow.deployment.jobs.finished{status,trigger}} with {@code status} {@code succeeded} or {@code failed}
 * (a job failed when any of its resources did, or it never got its certificate) and {@code trigger} {@code submit}
 * or {@code renewal}. Never tagged by job or certificate, so the number of series stays four; all four exist from
 * the start at zero.
 */
@Component
public class DeploymentMetrics {

    public static final String JOBS_FINISHED = "certflow.deployment.jobs.finished";

    private final MeterRegistry registry;

    public DeploymentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (JobStatus status : JobStatus.values()) {
            if (status.finished()) {
                for (JobTrigger trigger : JobTrigger.values()) {
                    counter(status, trigger);
                }
            }
        }
    }

    /** A job reached {@code status}; statuses that are not final are not counted. */
    public void finished(JobStatus status, JobTrigger trigger) {
        if (status.finished()) {
            counter(status, trigger).increment();
        }
    }

    private Counter counter(JobStatus status, JobTrigger trigger) {
        return Counter.builder(JOBS_FINISHED).description("Deployment jobs finished, by outcome and trigger")
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .tag("trigger", trigger.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }
}
