package io.certflow.deployment.target.ssh;

import io.certflow.deployment.tls.ServedCertificateReader;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the SSH target, so that resources of type {@code ssh} can be deployed to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SshProperties.class)
public class SshTargetConfiguration {

    @Bean
    public SshTarget sshTarget(ServedCertificateReader reader, SshProperties properties) {
        return new SshTarget(reader, properties.settings());
    }
}
