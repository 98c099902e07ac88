package io.certflow.events.v1;

import io.certflow.events.CertificateEvent;
import io.certflow.events.Require;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A deployment job finished, with what each resource serves now.
 *
 * @param jobId        the deployment job
 * @param taskId       the deployment task whose resources were used
 * @param serialNumber the certificate version deployed
 * @param trigger      {@code SUBMIT} (a person submitted the task) or {@code RENEWAL} (inherited)
 * @param succeeded    whether every resource now serves {@code serialNumber}
 * @param results      one result per resource
 */
public record DeploymentCompleted(UUID eventId, Instant occurredAt, String accountId, String certificateId,
                                  String jobId, String taskId, String serialNumber, String trigger,
                                  Boolean succeeded, List<ResourceResult> results) implements CertificateEvent {

    public DeploymentCompleted {
        Require.present(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.present(accountId, "accountId");
        Require.present(certificateId, "certificateId");
        Require.present(jobId, "jobId");
        Require.present(serialNumber, "serialNumber");
        Require.present(succeeded, "succeeded");
        results = results == null ? List.of() : List.copyOf(results);
    }

    /**
     * The outcome on one resource.
     *
     * @param resourceId         the resource
     * @param resourceName       its name
     * @param targetType         the cloud service / target type, e.g. {@code nginx}
     * @param status             {@code SUCCEEDED} (the resource serves the new version, proven by reading it back) or
     *                           {@code FAILED}
     * @param servedSerialNumber the serial read back from the resource after deploying (optional)
     * @param message            what happened, for people (optional)
     * @param outcome            (optional, added in v1) {@code DEPLOYED}; {@code ROLLED_BACK}: the new version was not
     *                           served and the previous one was put back; {@code FAILED}: not deployed, nothing restored;
     *                           {@code SKIPPED}: not tried (the task stops at its first failure)
     * @param attempts           (optional, added in v1) how often it was tried in this job (failures that may pass,
     *                           such as an unreachable resource, are tried again)
     */
    public record ResourceResult(String resourceId, String resourceName, String targetType, String status,
                                 String servedSerialNumber, String message, String outcome, Integer attempts) {
        public ResourceResult {
            Require.present(resourceId, "resourceId");
            Require.present(status, "status");
        }

        /** A result without the optional {@code outcome} and {@code attempts}. */
        public ResourceResult(String resourceId, String resourceName, String targetType, String status,
                              String servedSerialNumber, String message) {
            this(resourceId, resourceName, targetType, status, servedSerialNumber, message, null, null);
        }
    }
}
