package io.certflow.deployment.target.keystore;

import io.certflow.deployment.target.process.CommandRunner;
import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the keystore target with its own settings, so that this adapter is wired where it lives and the
 * service's shared wiring does not change when it is added.
 */
@Configuration(proxyBeanMethods = false)
public class KeystoreTargetConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KeystoreTargetConfiguration.class);

    @Bean
    public KeystoreTarget keystoreTarget(ServedCertificateReader reader, CommandRunner commands,
                                         KeystoreProperties properties) {
        if (properties.allowedDirectories() == null || properties.allowedDirectories().isEmpty()) {
            log.warn("certflow.deployment.keystore.allowed-directories is empty: keystore resources may write "
                    + "keystore files anywhere this process can write");
        }
        if (properties.allowedExecutables() == null || properties.allowedExecutables().isEmpty()) {
            log.warn("certflow.deployment.keystore.allowed-executables is empty: keystore resources may run any "
                    + "executable as their reload command");
        }
        return new KeystoreTarget(reader, commands, new KeystoreTarget.Settings(properties.commandTimeout(),
                properties.readBackWindow(), properties.readBackInterval(), properties.allowedExecutables(),
                properties.allowedDirectories()));
    }
}
