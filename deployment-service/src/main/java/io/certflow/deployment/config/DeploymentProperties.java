package io.certflow.deployment.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of deployment-service ({@code certflow.deployment.*}): where issuance-service's internal
 * API is, how jobs are run, and how the server-type targets behave.
 *
 * @param issuanceUrl    base URL of issuance-service, e.g. {@code http://localhost:8083}
 * @param internalToken  the credential for issuance-service's {@code /internal/**} API; never logged
 * @param issuanceTimeout how long a bundle request may take
 * @param tlsTimeout     connect and handshake timeout of a TLS read-back
 * @param jobs           the job runner
 * @param nginx          the nginx target
 * @param haproxy        the HAProxy target
 * @param keyEncryptionKey base64 of the 32-byte key that seals target credentials (required); never logged
 * @param previousKeyEncryptionKeys older keys still accepted for opening, during a rotation
 * @param cloud          what cloud targets keep in the accounts' certificate stores
 */
@ConfigurationProperties("certflow.deployment")
public record DeploymentProperties(URI issuanceUrl,
                                   String internalToken,
                                   @DefaultValue("10s") Duration issuanceTimeout,
                                   @DefaultValue("5s") Duration tlsTimeout,
                                   @DefaultValue Jobs jobs,
                                   @DefaultValue Nginx nginx,
                                   @DefaultValue Haproxy haproxy,
                                   String keyEncryptionKey,
                                   @DefaultValue List<String> previousKeyEncryptionKeys,
                                   @DefaultValue Cloud cloud) {

    /**
     * What cloud targets keep in an account's certificate store.
     *
     * @param keepCertificates after a successful rotation, the uploads kept per credential (the newest; at least 1)
     */
    public record Cloud(@DefaultValue("2") int keepCertificates) {

        public Cloud {
            if (keepCertificates < 1) {
                throw new IllegalArgumentException("certflow.deployment.cloud.keep-certificates must be at least 1");
            }
        }
    }

    /**
     * How deployment jobs are run.
     *
     * @param pollInterval    pause between two looks for pending jobs
     * @param lease           how long a claimed job belongs to its runner; a RUNNING job older than this is
     *                        taken over (its runner died)
     * @param maxFetchAttempts how often fetching the bundle is tried before the job fails
     * @param fetchBackoff    first wait after a failed fetch; doubles each time
     * @param parallelism     resources of one target type deployed at once, per instance
     * @param concurrency     jobs run at once, per instance
     * @param resourceAttempts how often a resource whose failure may pass (unreachable, busy) is tried within a job
     * @param resourceBackoff first wait before trying such a resource again; doubles each time
     */
    public record Jobs(@DefaultValue("1s") Duration pollInterval,
                       @DefaultValue("10m") Duration lease,
                       @DefaultValue("5") int maxFetchAttempts,
                       @DefaultValue("5s") Duration fetchBackoff,
                       @DefaultValue("4") int parallelism,
                       @DefaultValue("3") int resourceAttempts,
                       @DefaultValue("2s") Duration resourceBackoff,
                       @DefaultValue("8") int concurrency) {

        public Jobs {
            if (parallelism < 1 || resourceAttempts < 1 || concurrency < 1) {
                throw new IllegalArgumentException("certflow.deployment.jobs.parallelism, .resource-attempts and "
                        + ".concurrency must be at least 1");
            }
        }
    }

    /**
     * The nginx target.
     *
     * @param commandTimeout     how long a reload or config test may run
     * @param readBackWindow     how long to keep reading back after a reload
     * @param readBackInterval   pause between read-backs
     * @param allowedExecutables what reload and test commands may start (their first word); empty allows any
     * @param allowedDirectories where certificate and key files may be written (or below); empty allows any
     *                           directory, which only suits a host where every API user is an operator
     */
    public record Nginx(@DefaultValue("30s") Duration commandTimeout,
                        @DefaultValue("10s") Duration readBackWindow,
                        @DefaultValue("200ms") Duration readBackInterval,
                        @DefaultValue({"nginx", "/usr/sbin/nginx"}) List<String> allowedExecutables,
                        List<java.nio.file.Path> allowedDirectories) {
    }

    /**
     * The HAProxy target.
     *
     * @param socketTimeout      how long HAProxy may take to answer one runtime API command
     * @param readBackWindow     how long to keep reading back after a commit
     * @param readBackInterval   pause between read-backs
     * @param allowedDirectories where certificate files may be written and admin sockets may be (or below); empty
     *                           allows any, which only suits a host where every API user is an operator
     */
    public record Haproxy(@DefaultValue("10s") Duration socketTimeout,
                          @DefaultValue("10s") Duration readBackWindow,
                          @DefaultValue("200ms") Duration readBackInterval,
                          List<java.nio.file.Path> allowedDirectories) {
    }

    @Override
    public String toString() {
        return "DeploymentProperties[issuanceUrl=" + issuanceUrl + ", internalToken="
                + (internalToken == null || internalToken.isEmpty() ? "unset" : "set")
                + ", issuanceTimeout=" + issuanceTimeout + ", tlsTimeout=" + tlsTimeout
                + ", jobs=" + jobs + ", nginx=" + nginx + ", haproxy=" + haproxy + ", keyEncryptionKey="
                + (keyEncryptionKey == null || keyEncryptionKey.isEmpty() ? "unset" : "set") + ", cloud=" + cloud + "]";
    }
}
