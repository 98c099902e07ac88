package io.certflow.deployment.persistence;

/** Where a deployment job is: waiting for the runner, running, or finished one way or the other. */
public enum JobStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
