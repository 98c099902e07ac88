package io.certflow.deployment.persistence;

/**
 * What one job did on one resource, kept in the job and announced in {@code DeploymentCompleted}. Never
 * holds key material.
 *
 * @param resourceId         the resource
 * @param name               its name
 * @param targetType         its target type
 * @param status             SUCCEEDED or FAILED
 * @param servedSerialNumber what the resource served when last read back, or null
 * @param message            what happened, for people
 */
public record ResourceResult(String resourceId, String name, String targetType, String status,
                             String servedSerialNumber, String message) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }
}
