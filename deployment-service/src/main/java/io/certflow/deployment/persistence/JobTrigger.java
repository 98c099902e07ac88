package io.certflow.deployment.persistence;

/** Why a deployment job exists: a person submitted the task, or a renewal was inherited. */
public enum JobTrigger {
    SUBMIT, RENEWAL
}
