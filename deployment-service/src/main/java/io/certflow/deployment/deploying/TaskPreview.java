package io.certflow.deployment.deploying;

import java.util.List;

/**
 * What submitting a task would change, resource by resource, read live before anyone deploys: the serial each
 * resource serves now, the one it would get, and whether the certificate covers the resource's host name.
 *
 * @param taskId          the task
 * @param certificateId   its certificate
 * @param newSerialNumber the latest issued version, which a submit deploys
 * @param resources       one entry per resource of the task
 */
public record TaskPreview(String taskId, String certificateId, String newSerialNumber, List<ResourcePreview> resources) {

    /**
     * One resource in a preview.
     *
     * @param resourceId          the resource
     * @param name                its name
     * @param currentSerialNumber what it serves now, or null if that could not be read
     * @param newSerialNumber     what it would serve
     * @param domainsCovered      whether the new certificate covers the resource's host name
     * @param change              REPLACE, or NONE when it serves the new version already
     * @param readBackError       why the current serial could not be read, or null
     */
    public record ResourcePreview(String resourceId, String name, String currentSerialNumber, String newSerialNumber,
                                  boolean domainsCovered, String change, String readBackError) {
    }
}
