package io.certflow.deployment.target;

import java.util.Map;
import java.util.Optional;

/**
 * One technology a certificate can be deployed to (nginx, HAProxy, a cloud CDN…), behind one interface
 * in domain words so that the deployment use cases never know which. Adapters are chosen by
 * {@link #type()}, the resource's {@code type} name; only the adapter knows the technology.
 *
 * <p>Every adapter proves its work: {@link #deploy} reads back what the resource serves afterwards, and
 * restores the previous certificate if the resource does not serve the new one.
 */
public interface DeploymentTarget {

    /** The resource {@code type} this adapter serves, e.g. {@code nginx}. */
    String type();

    /**
     * Checks a resource's settings before the resource is stored, so that a mistake shows up when a person
     * registers the resource and not at the first renewal.
     *
     * @throws InvalidTargetConfigException naming every missing or invalid setting
     */
    void validate(Map<String, String> config);

    /**
     * The host name clients ask the resource for (what the certificate must cover), if the resource has one.
     * By default the {@code serverName} setting.
     */
    default Optional<String> serverName(TargetResource resource) {
        String name = resource.config().get("serverName");
        return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.strip());
    }

    /** What the resource serves right now, or why that could not be told. Never throws. */
    ReadBack readBack(TargetResource resource);

    /**
     * Installs the bundle on the resource, reads back what it serves and, if that is not the bundle's leaf,
     * puts the previous certificate back. Never throws for a failure of the resource: the outcome says
     * what happened.
     */
    DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle);

    /** Puts back what {@link #deploy} replaced (see {@link DeploymentOutcome#previous()}). */
    DeploymentOutcome restore(TargetResource resource, PreviousCertificate previous);
}
