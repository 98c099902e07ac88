package io.certflow.deployment.target;

import java.util.List;
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

    /** The resource {@code type} this adapter serves, e.g. {@code nginx}, {@code aws-cloudfront}. */
    String type();

    /** The cloud service as people name it ({@code AWS CloudFront}); by default the type. */
    default String displayName() {
        return type();
    }

    /**
     * Whether resources of this type are reached with a stored credential ({@link TargetAccess}); those that
     * need none (a local nginx) are registered with their settings alone.
     */
    default boolean needsCredential() {
        return false;
    }

    /**
     * Checks a credential's settings and secrets before it is stored (shape only: no call to the service).
     *
     * @throws InvalidTargetConfigException naming every missing or invalid setting, never a secret's value
     */
    default void validateCredential(TargetAccess access) {
    }

    /**
     * What a credential of this type holds, as a form asks for it: the same declaration {@link #validateCredential}
     * reads its setting and secret names from. Empty for a type that takes no credential.
     */
    default List<CredentialField> credentialFields() {
        return List.of();
    }

    /** Whether {@link #discover} lists resources; a type that does not is registered by hand. */
    default boolean discovers() {
        return false;
    }

    /**
     * The resources this credential reaches, as the service lists them now.
     *
     * @throws TargetException when the service cannot be asked (retryable) or refuses the credential (not)
     */
    default List<DiscoveredResource> discover(TargetAccess access) {
        throw new TargetException(type() + " does not list resources; register them by hand", false);
    }

    /**
     * The host names the resource serves, which a certificate must cover: the domains it was discovered with, or
     * its {@link #serverName}.
     */
    default List<String> domains(TargetResource resource) {
        return resource.domains().isEmpty() ? serverName(resource).map(List::of).orElse(List.of()) : resource.domains();
    }

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
     * puts the previous certificate back (outcome {@code ROLLED_BACK}) where the technology can. Never throws
     * for a failure of the resource: the outcome says what happened, and whether trying again may help.
     */
    DeploymentOutcome deploy(TargetResource resource, CertificateBundle bundle);

    /** Puts back what {@link #deploy} replaced (see {@link DeploymentOutcome#previous()}). */
    DeploymentOutcome restore(TargetResource resource, PreviousCertificate previous);
}
