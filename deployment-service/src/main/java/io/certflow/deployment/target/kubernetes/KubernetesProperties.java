package io.certflow.deployment.target.kubernetes;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Configuration of the kubernetes target ({@code certflow.deployment.kubernetes.*}). Where the API servers are
 * and how to reach them comes from each credential; only the patience is the operator's.
 *
 * @param connectTimeout how long connecting to an API server may take
 * @param requestTimeout how long one request to an API server may take
 */
@ConfigurationProperties("certflow.deployment.kubernetes")
public record KubernetesProperties(@DefaultValue("5s") Duration connectTimeout,
                                   @DefaultValue("15s") Duration requestTimeout) {
}
