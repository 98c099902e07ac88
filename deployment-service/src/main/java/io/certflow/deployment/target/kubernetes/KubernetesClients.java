package io.certflow.deployment.target.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Opens a fabric8 client for one credential and nothing else: no kubeconfig, environment variable, system
 * property or mounted service account of the host running certflow leaks into it, the API server is trusted
 * through the credential's CA alone, and the client does not retry by itself (the deployment job does, with
 * its own backoff).
 */
final class KubernetesClients {

    private final Duration connectTimeout;
    private final Duration requestTimeout;

    KubernetesClients(Duration connectTimeout, Duration requestTimeout) {
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** A client for this credential; close it after the call. */
    KubernetesClient open(KubernetesAccess access) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(access.apiServer().toString())
                .withOauthToken(access.token())
                .withCaCertData(access.caCertificatePem() == null ? null
                        : Base64.getEncoder().encodeToString(access.caCertificatePem().getBytes(StandardCharsets.US_ASCII)))
                .withTrustCerts(false)
                .withDisableHostnameVerification(false)
                .withNamespace(access.namespace())
                .withConnectionTimeout(millis(connectTimeout))
                .withRequestTimeout(millis(requestTimeout))
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
