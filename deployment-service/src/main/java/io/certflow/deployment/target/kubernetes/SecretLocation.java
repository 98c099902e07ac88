package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetSettings;

import java.util.Map;
import java.util.Set;

/**
 * Where a resource's certificate lives: one Secret in one namespace. The namespace may be left to the
 * credential's default, so a person registering many Secrets of one namespace names it once.
 *
 * @param namespace  the namespace
 * @param secretName the Secret's name
 */
public record SecretLocation(String namespace, String secretName) {

    /** The setting naming the namespace. */
    public static final String NAMESPACE = "namespace";
    /** The setting naming the Secret. */
    public static final String SECRET_NAME = "secretName";

    private static final Set<String> KNOWN = Set.of(NAMESPACE, SECRET_NAME);

    /**
     * Checks a resource's settings without a credential: {@code secretName} is required, {@code namespace} may
     * be left to the credential.
     *
     * @throws InvalidTargetConfigException naming every problem
     */
    public static void validate(Map<String, String> config) {
        read(config, null, false);
    }

    /**
     * The Secret of a resource.
     *
     * @param defaultNamespace the credential's namespace, used when the resource names none; may be null
     * @throws InvalidTargetConfigException naming every problem, including a namespace neither names
     */
    public static SecretLocation of(Map<String, String> config, String defaultNamespace) {
        return read(config, defaultNamespace, true);
    }

    private static SecretLocation read(Map<String, String> config, String defaultNamespace, boolean namespaceNeeded) {
        TargetSettings settings = new TargetSettings(config, KNOWN);
        String namespace = settings.value(NAMESPACE);
        if (namespace != null && !KubernetesNames.isNamespace(namespace)) {
            settings.problem("'namespace' " + KubernetesNames.NAMESPACE_RULE);
        } else if (namespace == null && defaultNamespace == null && namespaceNeeded) {
            settings.problem("'namespace' is required: the credential names no default namespace");
        }
        String secretName = settings.value(SECRET_NAME);
        if (secretName == null) {
            settings.problem("'secretName' is required (the kubernetes.io/tls Secret an Ingress names in spec.tls)");
        } else if (!KubernetesNames.isSecretName(secretName)) {
            settings.problem("'secretName' " + KubernetesNames.SECRET_RULE);
        }
        settings.check(KubernetesTarget.TYPE);
        return new SecretLocation(namespace == null ? defaultNamespace : namespace, secretName);
    }

    /** The resource's settings, as a discovered resource carries them. */
    public Map<String, String> toConfig() {
        return Map.of(NAMESPACE, namespace, SECRET_NAME, secretName);
    }

    @Override
    public String toString() {
        return namespace + "/" + secretName;
    }
}
