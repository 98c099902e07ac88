package io.certflow.deployment.target;

/**
 * The result of deploying to (or restoring) one resource, as a person and the {@code DeploymentCompleted}
 * event need it: whether the resource now serves the wanted certificate, what it serves, and what happened.
 * Never holds key material except inside {@link #previous()}, which never prints it.
 *
 * @param status             SUCCEEDED when the resource serves the wanted leaf; ROLLED_BACK when it did not and the
 *                           previous certificate was put back (and is served); else FAILED
 * @param servedSerialNumber what the resource served when last read, or null if that is not known
 * @param message            what happened, for people; no secrets
 * @param previous           what the deployment replaced, for {@link DeploymentTarget#restore}; null after a restore
 * @param retryable          whether trying again later may succeed (the resource was unreachable, busy, or timed
 *                           out), as opposed to a refusal or a wrong setting
 */
public record DeploymentOutcome(Status status, String servedSerialNumber, String message, PreviousCertificate previous,
                                boolean retryable) {

    /** Whether the resource serves what was wanted. */
    public enum Status {
        SUCCEEDED, FAILED, ROLLED_BACK
    }

    public DeploymentOutcome(Status status, String servedSerialNumber, String message, PreviousCertificate previous) {
        this(status, servedSerialNumber, message, previous, false);
    }

    /** The new certificate was not served, and the previous one was put back: the resource serves it again. */
    public static DeploymentOutcome rolledBack(String servedSerialNumber, String message) {
        return new DeploymentOutcome(Status.ROLLED_BACK, servedSerialNumber, message, null, false);
    }

    /** Nothing changed because the resource could not be reached or was busy; trying again may succeed. */
    public static DeploymentOutcome unreachable(String message) {
        return new DeploymentOutcome(Status.FAILED, null, message, null, true);
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
