package io.certflow.deployment.target.kubernetes;

import io.certflow.deployment.target.TargetAccess;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's Kubernetes API mock on a loopback port, over HTTPS with its own self-signed certificate (which a
 * credential names as its {@code caCertificate}, as it would a cluster's CA). In CRUD mode it stores what it is
 * sent and answers like an API server, after any expectation set with {@link #server()}{@code .expect()}; in
 * expectations mode it answers only what the test scripted.
 */
final class TestApiServer implements AutoCloseable {

    /** The token tests send; no message or log line may show it. */
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VydmljZS1hY2NvdW50LXRva2Vu.c2lnbmF0dXJlLW5vdC1zaG93bg";

    private final MockWebServer web = new MockWebServer();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    private TestApiServer(boolean crud) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = crud
                ? new KubernetesMockServer(new Context(), web, responses, new KubernetesMixedDispatcher(responses), true)
                : new KubernetesMockServer(new Context(), web, responses, true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    /** An API server that keeps what it is sent. */
    static TestApiServer crud() {
        return new TestApiServer(true);
    }

    /** An API server that answers only what the test expects. */
    static TestApiServer expectations() {
        return new TestApiServer(false);
    }

    /** For {@code expect()} and the recorded requests. */
    KubernetesMockServer server() {
        return server;
    }

    /** A client of the test's own, to arrange and inspect what the API server holds. */
    NamespacedKubernetesClient client() {
        return client;
    }

    /** The base URL, e.g. {@code https://localhost:43123}. */
    String url() {
        String url = server.url("/");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The PEM of the certificate the mock serves. */
    String caPem() {
        try {
            return Files.readString(Path.of(web.getSelfSignedCertificate().certificatePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A credential for this API server. */
    TargetAccess access(String namespace) {
        Map<String, String> settings = new HashMap<>(Map.of("apiServer", url(), "caCertificate", caPem()));
        if (namespace != null) {
            settings.put("namespace", namespace);
        }
        return new TargetAccess("cred-1", settings, Map.of("token", TOKEN));
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
