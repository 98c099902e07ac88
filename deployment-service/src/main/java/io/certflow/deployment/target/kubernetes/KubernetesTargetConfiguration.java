package io.certflow.deployment.target.kubernetes;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the kubernetes target, so that resources of type {@code kubernetes} can be deployed to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KubernetesProperties.class)
public class KubernetesTargetConfiguration {

    @Bean
    public KubernetesTarget kubernetesTarget(KubernetesProperties properties) {
        return new KubernetesTarget(new KubernetesTarget.Settings(properties.connectTimeout(), properties.requestTimeout()));
    }
}
