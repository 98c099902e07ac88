package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.CredentialField;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.TargetAccess;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Kubernetes credential as the target uses it: which API server, how to trust it, which service account token
 * to send, and the namespace resources default to. Parsed from a {@link TargetAccess} so that every problem is
 * named at once when the credential is stored, and never a token's value.
 *
 * <p>The API server is reached over {@code https} only, and trusted through {@code caCertificate} alone: neither
 * the JVM's trust store nor "trust all", not even for a test server (tests name the mock's own certificate).
 *
 * @param apiServer        the API server's base URL
 * @param caCertificatePem the PEM certificate(s) the API server's certificate chains to
 * @param namespace        the namespace resources without one use, and that discovery falls back to; may be null
 * @param token            the service account bearer token; never logged
 */
public record KubernetesAccess(URI apiServer, String caCertificatePem, String namespace, String token) {

    /** The setting naming the API server's base URL. */
    public static final String API_SERVER = "apiServer";
    /** The setting holding the PEM of the API server's CA. */
    public static final String CA_CERTIFICATE = "caCertificate";
    /** The setting naming the default namespace. */
    public static final String NAMESPACE = "namespace";
    /** The secret holding the bearer token. */
    public static final String TOKEN = "token";

    /** What a Kubernetes credential holds: {@link #parse} knows these names and no others. */
    public static final List<CredentialField> FIELDS = List.of(
            CredentialField.setting(API_SERVER, "API server, e.g. https://10.0.0.1:6443"),
            CredentialField.setting(CA_CERTIFICATE, "CA certificate of the API server (PEM)").spanningLines(),
            CredentialField.optionalSetting(NAMESPACE, "Default namespace"),
            CredentialField.secret(TOKEN, "Service account token"));

    private static final Set<String> SETTINGS = CredentialField.settingNames(FIELDS);
    private static final Set<String> SECRETS = CredentialField.secretNames(FIELDS);

    /**
     * Reads a credential.
     *
     * @throws InvalidTargetConfigException naming every missing or invalid setting, never a secret's value
     */
    public static KubernetesAccess parse(TargetAccess access) {
        if (access == null) {
            throw new InvalidTargetConfigException(KubernetesTarget.TYPE,
                    List.of("no credential: a kubernetes resource is reached with a stored credential "
                            + "(apiServer, caCertificate, token)"));
        }
        List<String> problems = new ArrayList<>();
        access.settings().keySet().stream().filter(k -> !SETTINGS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown credential setting '" + k + "' (known: " + String.join(", ", SETTINGS) + ")"));
        access.secrets().keySet().stream().filter(k -> !SECRETS.contains(k)).sorted()
                .forEach(k -> problems.add("unknown credential secret '" + k + "' (known: " + String.join(", ", SECRETS) + ")"));

        URI apiServer = apiServer(access.setting(API_SERVER), problems);
        String ca = access.setting(CA_CERTIFICATE);
        if (ca != null) {
            try {
                PemCertificates.parseChain(ca);
            } catch (IllegalArgumentException e) {
                problems.add("'caCertificate' is not a PEM certificate: " + e.getMessage());
                ca = null;
            }
        } else {
            problems.add("'caCertificate' is required (PEM of the CA that signed the API server's certificate, "
                    + "e.g. certificate-authority-data of a kubeconfig, base64-decoded)");
        }
        String namespace = access.setting(NAMESPACE);
        if (namespace != null && !KubernetesNames.isNamespace(namespace)) {
            problems.add("'namespace' " + KubernetesNames.NAMESPACE_RULE);
        }
        String token = access.secret(TOKEN);
        if (token == null) {
            problems.add("secret 'token' is required (a service account bearer token)");
        } else if (token.strip().chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            problems.add("secret 'token' must be one line of printable ASCII (value not shown)");
        }
        if (!problems.isEmpty()) {
            throw new InvalidTargetConfigException(KubernetesTarget.TYPE, problems);
        }
        return new KubernetesAccess(apiServer, ca, namespace, token.strip());
    }

    private static URI apiServer(String value, List<String> problems) {
        if (value == null) {
            problems.add("'apiServer' is required (the API server's https URL, e.g. https://10.0.0.1:6443)");
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            problems.add("'apiServer' is not a URL");
            return null;
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                || uri.getQuery() != null || uri.getFragment() != null) {
            problems.add("'apiServer' must be https://host[:port][/path], without user, query or fragment");
            return null;
        }
        return uri;
    }

    @Override
    public String toString() {
        return "KubernetesAccess[apiServer=" + apiServer + ", caCertificate=" + (caCertificatePem == null ? "none" : "set")
                + ", namespace=" + namespace + ", token=<redacted>]";
    }
}
