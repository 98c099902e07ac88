package io.certflow.deployment.persistence;

/**
 * What one job did on one resource, kept in the job and announced in {@code DeploymentCompleted}. Never
 * holds key material.
 *
 * @param resourceId         the resource
 * @param name               its name
 * @param targetType         its target type
 * @param status             SUCCEEDED (it serves the new version, read back) or FAILED
 * @param servedSerialNumber what the resource served when last read back, or null
 * @param message            what happened, for people
 * @param outcome            DEPLOYED, ROLLED_BACK (not served, the previous certificate put back), FAILED (nothing
 *                           restored) or SKIPPED (not tried: the task stops at its first failure)
 * @param attempts           how often it was tried in this job (0 when skipped)
 */
public record ResourceResult(String resourceId, String name, String targetType, String status,
                             String servedSerialNumber, String message, String outcome, int attempts) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public static final String DEPLOYED = "DEPLOYED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
    public static final String SKIPPED = "SKIPPED";

    /** A failure before the resource's target was asked (the resource or its credential is gone…). */
    public static ResourceResult failedBefore(String resourceId, String name, String targetType, String message) {
        return new ResourceResult(resourceId, name, targetType, FAILED, null, message, FAILED, 0);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }
}
