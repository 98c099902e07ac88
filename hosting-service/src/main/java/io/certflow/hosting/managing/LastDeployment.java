package io.certflow.hosting.managing;

import java.time.Instant;

/**
 * The latest deployment job reported for a certificate, so that users see whether the live
 * version reached its resources.
 *
 * @param jobId        the deployment job
 * @param taskId       its task
 * @param serialNumber the version deployed
 * @param trigger      {@code SUBMIT} or {@code RENEWAL}
 * @param succeeded    whether every resource serves it
 * @param at           when the job finished
 */
public record LastDeployment(String jobId, String taskId, String serialNumber, String trigger, boolean succeeded,
                             Instant at) {
}
