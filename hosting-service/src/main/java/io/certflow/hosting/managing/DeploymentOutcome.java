package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * One deployment job reported for a certificate ({@code DeploymentCompleted}), so that users see whether
 * each version reached its resources.
 *
 * @param jobId        the deployment job
 * @param taskId       its task
 * @param serialNumber the version deployed
 * @param trigger      {@code SUBMIT} or {@code RENEWAL}
 * @param succeeded    whether every resource serves it
 * @param at           when the job finished
 */
public record DeploymentOutcome(String jobId, String taskId, String serialNumber, String trigger, boolean succeeded,
                                Instant at) {
}
