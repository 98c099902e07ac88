package io.certflow.deployment.deploying;

import java.util.List;

/**
 * What submitting a task would change, resource by resource, read live before anyone deploys: the serial each
 * resource serves now, the one it would get, and whether the certificate covers the resource's host names.
 *
 * @param taskId          the task
 * @param certificateId   its certificate
 * @param newSerialNumber the latest issued version, which a submit deploys
 * @param domains         the names that version covers
 * @param resources       one entry per resource of the task
 */
public record TaskPreview(String taskId, String certificateId, String newSerialNumber, List<String> domains,
                          List<ResourcePreview> resources) {

    /**
     * One resource in a preview.
     *
     * @param resourceId          the resource
     * @param name                its name
     * @param type                its cloud service
     * @param hostNames           the host names it serves
     * @param currentSerialNumber what it serves now, or null if that could not be read
     * @param newSerialNumber     what it would serve
     * @param domainsCovered      whether the new certificate covers all of its host names
     * @param change              REPLACE; NONE when it serves the new version already; REFUSED when it cannot get it
     * @param readBackError       why the current serial could not be read, or null
     * @param refusal             why it cannot get the certificate (uncovered host names, resource gone), or null
     */
    public record ResourcePreview(String resourceId, String name, String type, List<String> hostNames,
                                  String currentSerialNumber, String newSerialNumber, boolean domainsCovered,
                                  String change, String readBackError, String refusal) {
    }
}
