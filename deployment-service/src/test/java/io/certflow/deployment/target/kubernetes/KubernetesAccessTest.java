package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.testing.TestCertificates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a Kubernetes credential must hold before it is stored, and that its token never shows. */
class KubernetesAccessTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.dG9rZW4tdmFsdWU.c2lnbmF0dXJl";
    private static final String CA = TestCertificates.leaf(TestCertificates.randomSerial(), "kubernetes").chainPem();

    private final KubernetesTarget target = new KubernetesTarget(KubernetesTarget.Settings.defaults());

    private static TargetAccess access(Map<String, String> settings, Map<String, String> secrets) {
        return new TargetAccess("cred-1", settings, secrets);
    }

    @Test
    void aCompleteCredentialIsAccepted() {
        KubernetesAccess parsed = KubernetesAccess.parse(access(
                Map.of("apiServer", "https://10.0.0.1:6443", "caCertificate", CA, "namespace", "shop"),
                Map.of("token", TOKEN + "\n")));

        assertThat(parsed.apiServer()).hasToString("https://10.0.0.1:6443");
        assertThat(parsed.namespace()).isEqualTo("shop");
        assertThat(parsed.token()).isEqualTo(TOKEN);
        assertThat(parsed.toString()).doesNotContain(TOKEN).contains("token=<redacted>");
    }

    @Test
    void everyProblemIsNamedAtOnceWithoutTheToken() {
        TargetAccess access = access(Map.of("apiServer", "http://cluster.example.com:6443", "namespace", "Shop",
                "kubeconfig", "x"), Map.of("token", TOKEN + " with a space", "password", "hunter2"));

        assertThatThrownBy(() -> target.validateCredential(access))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "unknown credential setting 'kubeconfig' (known: apiServer, caCertificate, namespace)",
                            "unknown credential secret 'password' (known: token)",
                            "'apiServer' must be https://host[:port][/path], without user, query or fragment",
                            "'caCertificate' is required (PEM of the CA that signed the API server's certificate, "
                                    + "e.g. certificate-authority-data of a kubeconfig, base64-decoded)",
                            "'namespace' " + KubernetesNames.NAMESPACE_RULE,
                            "secret 'token' must be one line of printable ASCII (value not shown)");
                    assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("hunter2");
                });
    }

    @Test
    void theClustersCaIsAlwaysNeeded() {
        assertThatThrownBy(() -> KubernetesAccess.parse(access(Map.of("apiServer", "https://127.0.0.1:6443"), Map.of())))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "'caCertificate' is required (PEM of the CA that signed the API server's certificate, "
                                + "e.g. certificate-authority-data of a kubeconfig, base64-decoded)",
                        "secret 'token' is required (a service account bearer token)"));
        assertThatThrownBy(() -> KubernetesAccess.parse(access(
                Map.of("apiServer", "https://10.0.0.1:6443", "caCertificate", "not a certificate"), Map.of("token", TOKEN))))
                .hasMessageContaining("'caCertificate' is not a PEM certificate");
    }

    @Test
    void neverPlainHttpNorCredentialsInTheUrl() {
        assertThatThrownBy(() -> KubernetesAccess.parse(access(Map.of("apiServer", "http://127.0.0.1:8001",
                "caCertificate", CA), Map.of("token", TOKEN)))).hasMessageContaining("'apiServer' must be https://");
        assertThatThrownBy(() -> KubernetesAccess.parse(access(Map.of("apiServer", "https://admin:pw@10.0.0.1",
                "caCertificate", CA), Map.of("token", TOKEN)))).hasMessageContaining("without user, query or fragment");
    }

    @Test
    void aResourceNamesItsSecretAndMayLeaveTheNamespaceToTheCredential() {
        target.validate(Map.of("secretName", "shop.example.com-tls"));
        target.validate(Map.of("namespace", "shop", "secretName", "web-tls"));

        assertThatThrownBy(() -> target.validate(Map.of("namespace", "-shop", "secretName", "Web_TLS", "ingress", "x")))
                .isInstanceOfSatisfying(InvalidTargetConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "unknown setting 'ingress' (known: namespace, secretName)",
                        "'namespace' " + KubernetesNames.NAMESPACE_RULE,
                        "'secretName' " + KubernetesNames.SECRET_RULE));
        assertThatThrownBy(() -> SecretLocation.of(Map.of("secretName", "web-tls"), null))
                .hasMessageContaining("'namespace' is required: the credential names no default namespace");
        assertThat(SecretLocation.of(Map.of("secretName", "web-tls"), "shop")).hasToString("shop/web-tls");
    }

    @Test
    void theTargetSaysWhatItIs() {
        assertThat(target.type()).isEqualTo("kubernetes");
        assertThat(target.needsCredential()).isTrue();
        assertThat(target.discovers()).isTrue();
        assertThat(KubernetesTarget.Settings.defaults().requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    }
}
