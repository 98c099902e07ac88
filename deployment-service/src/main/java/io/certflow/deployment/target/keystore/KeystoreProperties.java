package io.certflow.deployment.target.keystore;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the keystore target ({@code certflow.deployment.keystore.*}): what its resources may touch
 * on this host, and how long a reload and a read-back may take.
 *
 * @param commandTimeout     how long a reload command may run
 * @param readBackWindow     how long to keep reading back over TLS after a reload
 * @param readBackInterval   pause between read-backs
 * @param allowedExecutables what reload commands may start (their first word); empty allows any executable,
 *                           which only suits a host where every API user is an operator
 * @param allowedDirectories where keystore files may be written (or below); empty allows any directory, which
 *                           only suits a host where every API user is an operator
 */
@ConfigurationProperties("certflow.deployment.keystore")
public record KeystoreProperties(@DefaultValue("30s") Duration commandTimeout,
                                 @DefaultValue("10s") Duration readBackWindow,
                                 @DefaultValue("200ms") Duration readBackInterval,
                                 List<String> allowedExecutables,
                                 List<Path> allowedDirectories) {
}
