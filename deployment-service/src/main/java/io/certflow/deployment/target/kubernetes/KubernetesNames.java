package io.certflow.deployment.target.kubernetes;

import java.util.regex.Pattern;

/**
 * The names the API server accepts for namespaces and Secrets, checked before a resource is stored so that a
 * typo is reported when a person registers it, not as a 422 at the first renewal.
 */
final class KubernetesNames {

    static final String NAMESPACE_RULE = "must be a DNS label: at most 63 lower-case letters, digits and '-', "
            + "starting and ending with a letter or digit";
    static final String SECRET_RULE = "must be a DNS subdomain: at most 253 lower-case letters, digits, '-' and '.', "
            + "starting and ending with a letter or digit";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private KubernetesNames() {
    }

    /** Whether {@code name} is a valid namespace name (RFC 1123 label). */
    static boolean isNamespace(String name) {
        return name.length() <= 63 && LABEL.matcher(name).matches();
    }

    /** Whether {@code name} is a valid Secret name (RFC 1123 subdomain). */
    static boolean isSecretName(String name) {
        return name.length() <= 253 && SUBDOMAIN.matcher(name).matches();
    }
}
