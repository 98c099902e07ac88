package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.DeploymentOutcome;
import io.certflow.deployment.target.DiscoveredResource;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.PreviousCertificate;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.target.TargetException;
import io.certflow.deployment.target.TargetResource;
import io.certflow.deployment.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kubernetes target against fabric8's Kubernetes API mock over HTTPS on loopback: in CRUD mode the Secret
 * the mock holds afterwards is what is asserted; in expectations mode the mock answers 401, 409 or a Secret
 * that does not hold what was written, as a real API server can.
 */
@ExtendWith(OutputCaptureExtension.class)
class KubernetesTargetIT {

    private static final String NAME = "shop.example.com";

    private final KubernetesTarget target = new KubernetesTarget(
            new KubernetesTarget.Settings(Duration.ofSeconds(10), Duration.ofSeconds(15)));
    private final TestCertificates.Issued initial = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final TestCertificates.Issued next = TestCertificates.leaf(TestCertificates.randomSerial(), NAME);
    private final List<TestApiServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(TestApiServer::close);
    }

    private TestApiServer crud() {
        TestApiServer server = TestApiServer.crud();
        servers.add(server);
        return server;
    }

    private TestApiServer expectations() {
        TestApiServer server = TestApiServer.expectations();
        servers.add(server);
        return server;
    }

    private static TargetResource resource(TargetAccess access, String namespace, String secretName) {
        Map<String, String> config = new HashMap<>(Map.of("secretName", secretName));
        if (namespace != null) {
            config.put("namespace", namespace);
        }
        return new TargetResource("r1", "web tls", KubernetesTarget.TYPE, config, List.of(NAME), access);
    }

    private static CertificateBundle bundle(TestCertificates.Issued issued) {
        return new CertificateBundle(issued.chainPem(), issued.keyPem());
    }

    private static Secret tlsSecret(String namespace, String name, TestCertificates.Issued issued) {
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).withResourceVersion("7")
                .endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(issued.chainPem())).addToData("tls.key", base64(issued.keyPem())).build();
    }

    private static Secret held(TestApiServer api, String namespace, String name) {
        return api.client().secrets().inNamespace(namespace).withName(name).get();
    }

    private static String data(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static String leafSerial(Secret secret) {
        return PemCertificates.serialHex(PemCertificates.parseChain(data(secret, "tls.crt")).get(0));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String secretPath(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/secrets/" + name;
    }

    private static void assertNoSecretsIn(String text, TestCertificates.Issued... keys) {
        assertThat(text).doesNotContain(TestApiServer.TOKEN).doesNotContain("PRIVATE KEY");
        for (TestCertificates.Issued issued : keys) {
            assertThat(text).doesNotContain(issued.keyPem().lines().skip(1).findFirst().orElseThrow());
        }
    }

    @Test
    void createsAMarkedTlsSecretAndProvesItByReadingItBack(CapturedOutput output) {
        TestApiServer api = crud();

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(outcome.message()).contains("Secret shop/web-tls holds " + next.serialHex());
        assertThat(outcome.previous().present()).isFalse();
        Secret secret = held(api, "shop", "web-tls");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(leafSerial(secret)).isEqualTo(next.serialHex());
        assertThat(data(secret, "tls.crt")).isEqualTo(next.chainPem());
        assertThat(data(secret, "tls.key")).isEqualTo(next.keyPem());
        assertThat(secret.getMetadata().getLabels()).containsEntry("certflow.io/managed-by", "certflow");
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("certflow.io/serial", next.serialHex())
                .containsEntry("certflow.io/managed-by", "certflow");
        assertThat(target.readBack(resource(api.access(null), "shop", "web-tls")).serialNumber()).contains(next.serialHex());
        assertNoSecretsIn(outcome.message() + outcome.previous() + output, next);
    }

    @Test
    void replacesTheCertificateKeepsTheSecretsOtherContentAndRestoresThePreviousOne() {
        TestApiServer api = crud();
        api.client().secrets().inNamespace("shop").resource(new SecretBuilder(tlsSecret("shop", "web-tls", initial))
                .editMetadata().withResourceVersion(null).addToLabels("team", "payments").endMetadata()
                .addToData("ca.crt", base64("bundle of the team's CA")).build()).create();
        TargetResource resource = resource(api.access(null), "shop", "web-tls");

        DeploymentOutcome outcome = target.deploy(resource, bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
        Secret secret = held(api, "shop", "web-tls");
        assertThat(leafSerial(secret)).isEqualTo(next.serialHex());
        assertThat(data(secret, "tls.key")).isEqualTo(next.keyPem());
        assertThat(data(secret, "ca.crt")).isEqualTo("bundle of the team's CA");
        assertThat(secret.getMetadata().getLabels()).containsEntry("team", "payments")
                .containsEntry("certflow.io/managed-by", "certflow");
        assertThat(secret.getMetadata().getAnnotations()).doesNotContainKey("certflow.io/created-by-certflow");

        DeploymentOutcome restored = target.restore(resource, outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(restored.servedSerialNumber()).isEqualTo(initial.serialHex());
        secret = held(api, "shop", "web-tls");
        assertThat(leafSerial(secret)).isEqualTo(initial.serialHex());
        assertThat(data(secret, "tls.key")).isEqualTo(initial.keyPem());
        assertThat(secret.getMetadata().getAnnotations()).containsEntry("certflow.io/serial", initial.serialHex());
    }

    @Test
    void restoringTheNothingThatWasThereDeletesTheSecretCertflowCreated() {
        TestApiServer api = crud();
        TargetResource resource = resource(api.access(null), "shop", "web-tls");
        DeploymentOutcome outcome = target.deploy(resource, bundle(next));
        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();

        DeploymentOutcome restored = target.restore(resource, outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        assertThat(restored.message()).contains("which certflow had created, deleted");
        assertThat(held(api, "shop", "web-tls")).isNull();
    }

    @Test
    void restoringAnEmptySecretSomeoneElseCreatedEmptiesItInsteadOfDeletingIt() {
        TestApiServer api = crud();
        api.client().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("web-tls")
                .endMetadata().withType("kubernetes.io/tls").addToData("tls.crt", "").addToData("tls.key", "").build()).create();
        TargetResource resource = resource(api.access(null), "shop", "web-tls");
        DeploymentOutcome outcome = target.deploy(resource, bundle(next));
        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();

        DeploymentOutcome restored = target.restore(resource, outcome.previous());

        assertThat(restored.succeeded()).as(restored.message()).isTrue();
        Secret secret = held(api, "shop", "web-tls");
        assertThat(secret).isNotNull();
        assertThat(data(secret, "tls.crt")).isEmpty();
        assertThat(data(secret, "tls.key")).isEmpty();
        assertThat(secret.getMetadata().getAnnotations()).doesNotContainKey("certflow.io/serial");
    }

    @Test
    void neverTouchesASecretOfAnotherType() {
        TestApiServer api = crud();
        api.client().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db-password")
                .endMetadata().withType("Opaque").addToData("password", base64("hunter2")).build()).create();

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "db-password"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).contains("Secret shop/db-password is of type Opaque, not kubernetes.io/tls")
                .contains("nothing deployed");
        Secret secret = held(api, "shop", "db-password");
        assertThat(secret.getData()).containsOnlyKeys("password");
        assertThat(data(secret, "password")).isEqualTo("hunter2");
        assertThat(secret.getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void leavesImmutableSecretsAndThoseOfCertManagerAlone() {
        TestApiServer api = crud();
        api.client().secrets().inNamespace("shop").resource(new SecretBuilder(tlsSecret("shop", "frozen-tls", initial))
                .editMetadata().withResourceVersion(null).endMetadata().withImmutable(true).build()).create();
        api.client().secrets().inNamespace("shop").resource(new SecretBuilder(tlsSecret("shop", "acme-tls", initial))
                .editMetadata().withResourceVersion(null).addToAnnotations("cert-manager.io/certificate-name", "shop")
                .endMetadata().build()).create();

        DeploymentOutcome frozen = target.deploy(resource(api.access(null), "shop", "frozen-tls"), bundle(next));
        DeploymentOutcome certManager = target.deploy(resource(api.access(null), "shop", "acme-tls"), bundle(next));

        assertThat(frozen.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(frozen.message()).contains("Secret shop/frozen-tls is immutable");
        assertThat(certManager.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(certManager.message()).contains("belongs to cert-manager Certificate shop");
        assertThat(leafSerial(held(api, "shop", "frozen-tls"))).isEqualTo(initial.serialHex());
        assertThat(leafSerial(held(api, "shop", "acme-tls"))).isEqualTo(initial.serialHex());
    }

    @Test
    void aResourceWithoutNamespaceUsesTheCredentialsDefaultNamespace() {
        TestApiServer api = crud();

        DeploymentOutcome outcome = target.deploy(resource(api.access("storefront"), null, "web-tls"), bundle(next));

        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(leafSerial(held(api, "storefront", "web-tls"))).isEqualTo(next.serialHex());
    }

    @Test
    void discoversEachIngressTlsSectionAsAResourceWithItsHosts() {
        TestApiServer api = crud();
        api.client().network().v1().ingresses().inNamespace("shop").resource(new IngressBuilder()
                .withNewMetadata().withName("storefront").endMetadata().withNewSpec()
                .addNewTl().withHosts("Shop.example.com", "www.shop.example.com").withSecretName("shop-tls").endTl()
                .addNewTl().withHosts("api.shop.example.com").withSecretName("api-tls").endTl()
                .addNewTl().withHosts("default.example.com").endTl()
                .endSpec().build()).create();
        api.client().network().v1().ingresses().inNamespace("blog").resource(new IngressBuilder()
                .withNewMetadata().withName("blog").endMetadata().withNewSpec()
                .addNewTl().withHosts("*.blog.example.org").withSecretName("blog-wildcard").endTl()
                .endSpec().build()).create();
        api.client().network().v1().ingresses().inNamespace("blog").resource(new IngressBuilder()
                .withNewMetadata().withName("plain-http").endMetadata().withNewSpec().endSpec().build()).create();

        List<DiscoveredResource> found = target.discover(api.access(null));

        assertThat(found).extracting(DiscoveredResource::externalId)
                .containsExactly("blog/blog/blog-wildcard", "shop/storefront/api-tls", "shop/storefront/shop-tls");
        DiscoveredResource shop = found.get(2);
        assertThat(shop.domains()).containsExactly("shop.example.com", "www.shop.example.com");
        assertThat(shop.config()).containsExactlyInAnyOrderEntriesOf(Map.of("namespace", "shop", "secretName", "shop-tls"));
        assertThat(shop.name()).isEqualTo("Ingress shop/storefront, Secret shop-tls");
        assertThat(found.get(0).domains()).containsExactly("*.blog.example.org");

        // what was discovered deploys as it is
        TargetResource picked = new TargetResource("r2", shop.name(), KubernetesTarget.TYPE, shop.config(),
                shop.domains(), api.access(null));
        target.validate(shop.config());
        assertThat(target.deploy(picked, bundle(next)).succeeded()).isTrue();
        assertThat(leafSerial(held(api, "shop", "shop-tls"))).isEqualTo(next.serialHex());
    }

    @Test
    void aCredentialThatMayNotListAllNamespacesDiscoversItsOwnNamespace() {
        TestApiServer api = crud();
        api.client().network().v1().ingresses().inNamespace("shop").resource(new IngressBuilder()
                .withNewMetadata().withName("storefront").endMetadata().withNewSpec()
                .addNewTl().withHosts(NAME).withSecretName("shop-tls").endTl().endSpec().build()).create();
        api.client().network().v1().ingresses().inNamespace("blog").resource(new IngressBuilder()
                .withNewMetadata().withName("blog").endMetadata().withNewSpec()
                .addNewTl().withHosts("blog.example.org").withSecretName("blog-tls").endTl().endSpec().build()).create();
        api.server().expect().get().withPath("/apis/networking.k8s.io/v1/ingresses?limit=500")
                .andReturn(403, forbidden("ingresses.networking.k8s.io is forbidden: cannot list resource "
                        + "\"ingresses\" at the cluster scope")).always();

        List<DiscoveredResource> found = target.discover(api.access("shop"));

        assertThat(found).extracting(DiscoveredResource::externalId).containsExactly("shop/storefront/shop-tls");

        assertThatThrownBy(() -> target.discover(api.access(null)))
                .isInstanceOfSatisfying(TargetException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("cannot list Ingresses in all namespaces")
                            .contains("403 Forbidden").contains("at the cluster scope");
                });
    }

    @Test
    void aRefusedTokenIsNotRetryableAndNeverShown(CapturedOutput output) {
        TestApiServer api = expectations();
        api.server().expect().get().withPath(secretPath("shop", "web-tls"))
                .andReturn(401, new StatusBuilder().withStatus("Failure").withMessage("Unauthorized").withCode(401).build())
                .always();
        api.server().expect().get().withPath("/apis/networking.k8s.io/v1/ingresses?limit=500")
                .andReturn(401, new StatusBuilder().withStatus("Failure").withMessage("Unauthorized").withCode(401).build())
                .always();

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.message()).isEqualTo("cannot read Secret shop/web-tls: the API server refused the credential "
                + "(401 Unauthorized); check the service account token; nothing deployed");
        RecordedRequest sent = takeRequest(api);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + TestApiServer.TOKEN);
        assertThatThrownBy(() -> target.discover(api.access(null)))
                .isInstanceOfSatisfying(TargetException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("refused the credential (401 Unauthorized)");
                    assertNoSecretsIn(e.getMessage());
                });
        assertThat(target.readBack(resource(api.access(null), "shop", "web-tls")).failureReason())
                .contains("401 Unauthorized");
        assertNoSecretsIn(outcome.message() + output, next);
    }

    @Test
    void aConcurrentChangeFailsTheWriteRetryablyInsteadOfOverwritingIt() {
        TestApiServer api = expectations();
        String path = secretPath("shop", "web-tls");
        api.server().expect().get().withPath(path).andReturn(200, tlsSecret("shop", "web-tls", initial)).once();
        api.server().expect().put().withPath(path).andReturn(409, new StatusBuilder().withStatus("Failure")
                .withReason("Conflict").withCode(409).withMessage("Operation cannot be fulfilled on secrets \"web-tls\": "
                        + "the object has been modified; please apply your changes to the latest version and try again")
                .build()).once();

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.message()).contains("cannot replace Secret shop/web-tls: it changed since certflow read it "
                + "(409 Conflict").contains("so it was not overwritten; try again; nothing deployed");
        assertThat(outcome.previous()).isNull();
        takeRequest(api); // the GET
        RecordedRequest put = takeRequest(api);
        assertThat(put.getMethod()).isEqualTo("PUT");
        Secret sent = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(put.getBody().readUtf8(), Secret.class);
        assertThat(sent.getMetadata().getResourceVersion()).as("the write is conditional on what was read").isEqualTo("7");
        assertThat(leafSerial(sent)).isEqualTo(next.serialHex());
        assertThat(api.server().getRequestCount()).as("no second, unconditional write").isEqualTo(2);
    }

    @Test
    void aSecretDeletedBetweenReadAndWriteIsARetryableRace() {
        TestApiServer api = expectations();
        String path = secretPath("shop", "web-tls");
        api.server().expect().get().withPath(path).andReturn(200, tlsSecret("shop", "web-tls", initial)).once();
        api.server().expect().put().withPath(path).andReturn(404, new StatusBuilder().withStatus("Failure")
                .withReason("NotFound").withCode(404).withMessage("secrets \"web-tls\" not found").build()).once();

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.message()).contains("it changed since certflow read it (404 Not Found");
    }

    @Test
    void aSecretThatDoesNotHoldTheNewCertificateAfterTheWriteIsRolledBack() {
        // a controller (or admission webhook) puts its own data back right after certflow's write: only the
        // read-back from the API server tells, and certflow's rollback writes the previous certificate
        TestApiServer api = expectations();
        String path = secretPath("shop", "web-tls");
        Secret old = tlsSecret("shop", "web-tls", initial);
        api.server().expect().get().withPath(path).andReturn(200, old).times(4);
        api.server().expect().put().withPath(path).andReturn(200, old).times(2);

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.ROLLED_BACK);
        assertThat(outcome.servedSerialNumber()).isEqualTo(initial.serialHex());
        assertThat(outcome.message()).contains("after the write Secret shop/web-tls holds " + initial.serialHex()
                + " instead of " + next.serialHex()).contains("previous certificate " + initial.serialHex() + " put back");
        List<String> puts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RecordedRequest request = takeRequest(api);
            if (request.getMethod().equals("PUT")) {
                puts.add(leafSerial(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        request.getBody().readUtf8(), Secret.class)));
            }
        }
        assertThat(puts).containsExactly(next.serialHex(), initial.serialHex());
    }

    @Test
    void anOverloadedApiServerIsRetryable() {
        TestApiServer api = expectations();
        api.server().expect().get().withPath(secretPath("shop", "web-tls"))
                .andReturn(503, new StatusBuilder().withStatus("Failure").withCode(503).withMessage("etcdserver: request timed out")
                        .build()).always();

        DeploymentOutcome outcome = target.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).isTrue();
        assertThat(outcome.message()).contains("(503: etcdserver: request timed out); try again later");
    }

    @Test
    void anApiServerThatDoesNotAnswerInTimeIsRetryable() {
        TestApiServer api = expectations();
        api.server().expect().get().delay(8, TimeUnit.SECONDS).withPath(secretPath("shop", "web-tls"))
                .andReturn(200, tlsSecret("shop", "web-tls", initial)).once();
        KubernetesTarget impatient = new KubernetesTarget(
                new KubernetesTarget.Settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));

        DeploymentOutcome outcome = impatient.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).contains("cannot read Secret shop/web-tls: no answer in time from the API server at " + api.url())
                .contains("nothing deployed");
    }

    @Test
    void aWriteWhoseAnswerIsLostIsJudgedByWhatTheApiServerHolds() {
        // the PUT took effect but its answer came too late: the read-back, not the lost answer, decides
        TestApiServer api = expectations();
        String path = secretPath("shop", "web-tls");
        api.server().expect().get().withPath(path).andReturn(200, tlsSecret("shop", "web-tls", initial)).once();
        api.server().expect().put().delay(8, TimeUnit.SECONDS).withPath(path)
                .andReturn(200, tlsSecret("shop", "web-tls", next)).once();
        api.server().expect().get().withPath(path).andReturn(200, tlsSecret("shop", "web-tls", next)).once();
        KubernetesTarget impatient = new KubernetesTarget(
                new KubernetesTarget.Settings(Duration.ofSeconds(10), Duration.ofSeconds(4)));

        DeploymentOutcome outcome = impatient.deploy(resource(api.access(null), "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(DeploymentOutcome.Status.SUCCEEDED);
        assertThat(outcome.servedSerialNumber()).isEqualTo(next.serialHex());
        assertThat(outcome.previous().serialNumber()).contains(initial.serialHex());
    }

    @Test
    void anApiServerThatIsDownIsRetryable() throws Exception {
        TestApiServer api = crud();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        TargetAccess down = new TargetAccess("cred-1", Map.of("apiServer", "https://localhost:" + closedPort,
                "caCertificate", api.caPem()), Map.of("token", TestApiServer.TOKEN));

        DeploymentOutcome outcome = target.deploy(resource(down, "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).as(outcome.message()).isTrue();
        assertThat(outcome.message()).contains("cannot reach the API server at https://localhost:" + closedPort);
        assertThatThrownBy(() -> target.discover(down)).isInstanceOfSatisfying(TargetException.class,
                e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void anApiServerWhoseCertificateTheCredentialsCaDidNotSignIsRefusedNotRetried() {
        TestApiServer api = crud();
        TargetAccess wrongCa = new TargetAccess("cred-1", Map.of("apiServer", api.url(), "caCertificate", initial.chainPem()),
                Map.of("token", TestApiServer.TOKEN));

        DeploymentOutcome outcome = target.deploy(resource(wrongCa, "shop", "web-tls"), bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.retryable()).as(outcome.message()).isFalse();
        assertThat(outcome.message()).contains("TLS with the API server at " + api.url() + " failed");
        assertThat(api.server().getRequestCount()).as("the token was not sent").isZero();
    }

    @Test
    void invalidSettingsFailBeforeTheApiServerIsAsked() {
        TestApiServer api = crud();
        TargetResource broken = new TargetResource("r1", "web tls", KubernetesTarget.TYPE,
                Map.of("namespace", "Shop_NS"), List.of(), new TargetAccess("cred-1", Map.of("apiServer", api.url()),
                Map.of("token", TestApiServer.TOKEN)));

        DeploymentOutcome outcome = target.deploy(broken, bundle(next));

        assertThat(outcome.status()).isEqualTo(DeploymentOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("'caCertificate' is required").contains("'namespace' must be a DNS label")
                .contains("'secretName' is required");
        assertThat(api.server().getRequestCount()).isZero();
    }

    private static Map<String, Object> forbidden(String message) {
        return Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "Forbidden", "code", 403,
                "message", message);
    }

    private static RecordedRequest takeRequest(TestApiServer api) {
        try {
            RecordedRequest request = api.server().takeRequest(5, TimeUnit.SECONDS);
            assertThat(request).as("a request reached the API server").isNotNull();
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
