package io.certflow.deployment.target;

/**
 * The result of deploying to (or restoring) one resource, as a person and the {@code DeploymentCompleted}
 * event need it: whether the resource now serves the wanted certificate, what it serves, and what happened.
 * Never holds key material except inside {@link #previous()}, which never prints it.
 *
 * @param status             SUCCEEDED when the resource serves the wanted leaf, else FAILED
 * @param servedSerialNumber what the resource served when last read, or null if that is not known
 * @param message            what happened, for people; no secrets
 * @param previous           what the deployment replaced, for {@link DeploymentTarget#restore}; null after a restore
 */
public record DeploymentOutcome(Status status, String servedSerialNumber, String message, PreviousCertificate previous) {

    /** Whether the resource serves what was wanted. */
    public enum Status {
        SUCCEEDED, FAILED
    }

    public static DeploymentOutcome succeeded(String servedSerialNumber, String message, PreviousCertificate previous) {
        return new DeploymentOutcome(Status.SUCCEEDED, servedSerialNumber, message, previous);
    }

    public static DeploymentOutcome failed(String servedSerialNumber, String message, PreviousCertificate previous) {
        return new DeploymentOutcome(Status.FAILED, servedSerialNumber, message, previous);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
