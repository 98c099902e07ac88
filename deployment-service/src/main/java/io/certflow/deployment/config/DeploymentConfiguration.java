package io.certflow.deployment.config;

import io.certflow.deployment.deploying.CertificateSource;
import io.certflow.deployment.deploying.issuance.IssuanceCertificateSource;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.DeploymentTargets;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.deployment.target.haproxy.HaproxyTarget;
import io.certflow.deployment.target.nginx.NginxTarget;
import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.tls.ServedCertificateReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Wires the adapters: the deployment targets by type name and the certificate source. The only place that
 * knows which technologies exist.
 */
@Configuration(proxyBeanMethods = false)
public class DeploymentConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeploymentConfiguration.class);

    @Bean
    public ServedCertificateReader servedCertificateReader(DeploymentProperties properties) {
        return new ServedCertificateReader(properties.tlsTimeout());
    }

    @Bean
    public CommandRunner commandRunner() {
        return new CommandRunner();
    }

    @Bean
    public NginxTarget nginxTarget(ServedCertificateReader reader, CommandRunner commands, DeploymentProperties properties) {
        DeploymentProperties.Nginx nginx = properties.nginx();
        if (nginx.allowedDirectories() == null || nginx.allowedDirectories().isEmpty()) {
            log.warn("certflow.deployment.nginx.allowed-directories is empty: nginx resources may write certificate "
                    + "files anywhere this process can write");
        }
        return new NginxTarget(reader, commands, new NginxTarget.Settings(nginx.commandTimeout(),
                nginx.readBackWindow(), nginx.readBackInterval(), nginx.allowedExecutables(), nginx.allowedDirectories()));
    }

    @Bean
    public HaproxyTarget haproxyTarget(ServedCertificateReader reader, DeploymentProperties properties) {
        DeploymentProperties.Haproxy haproxy = properties.haproxy();
        if (haproxy.allowedDirectories() == null || haproxy.allowedDirectories().isEmpty()) {
            log.warn("certflow.deployment.haproxy.allowed-directories is empty: haproxy resources may write certificate "
                    + "files anywhere this process can write and use any UNIX socket as admin socket");
        }
        return new HaproxyTarget(reader, new HaproxyTarget.Settings(haproxy.socketTimeout(),
                haproxy.readBackWindow(), haproxy.readBackInterval(), haproxy.allowedDirectories()));
    }

    /** Seals target credentials; the service does not start without its key-encryption key. */
    @Bean
    public EnvelopeEncryption envelopeEncryption(DeploymentProperties properties) {
        if (properties.keyEncryptionKey() == null || properties.keyEncryptionKey().isBlank()) {
            throw new IllegalStateException("certflow.deployment.key-encryption-key is not set: deployment-service seals"
                    + " the accounts' cloud and server credentials with it (base64 of 32 random bytes, e.g. from"
                    + " CERTFLOW_DEPLOYMENT_KEY_ENCRYPTION_KEY)");
        }
        return new EnvelopeEncryption(KeyEncryptionKey.fromBase64(properties.keyEncryptionKey()),
                properties.previousKeyEncryptionKeys().stream().map(KeyEncryptionKey::fromBase64).toList());
    }

    @Bean
    public DeploymentTargets deploymentTargets(List<DeploymentTarget> targets) {
        return new DeploymentTargets(targets);
    }

    @Bean
    @ConditionalOnMissingBean(CertificateSource.class)
    public CertificateSource certificateSource(DeploymentProperties properties, ObjectMapper json) {
        return new IssuanceCertificateSource(properties.issuanceUrl(), properties.internalToken(),
                properties.issuanceTimeout(), json);
    }
}
