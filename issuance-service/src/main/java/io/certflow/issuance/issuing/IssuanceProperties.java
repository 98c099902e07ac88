package io.certflow.issuance.issuing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of issuance-service ({@code certflow.issuance.*}): the CA profile, the key-encryption
 * key, and how the attempt poller paces itself. Exists so that every timing decision of the state
 * machine is named and can be tightened in tests.
 *
 * @param ca                         the CA profile
 * @param keyEncryptionKey           base64 of the 32-byte AES key that wraps every data key
 * @param previousKeyEncryptionKeys  older KEKs still accepted when opening secrets (rotation)
 * @param pollInterval               delay between two runs of the attempt poller
 * @param orderPollDelay             most time between two polls of one order while the CA works
 * @param firstPollDelay             the first poll of an order after its challenges were triggered or it was finalized
 *                                   (then as long again as it waited, up to {@code orderPollDelay})
 * @param claimLease                 how long a claimed attempt is left alone by other pollers
 * @param batchSize                  attempts advanced per poller run
 * @param challengeTimeout           how long to wait for {@code ChallengeReady} before failing
 * @param validationTimeout          how long the CA may take to validate and to issue
 * @param backoff                    retry of transient CA failures
 * @param rateLimit                  the new-order limit per (CA profile, ACME account)
 * @param firstIssuanceRetry         when a first issuance that failed retryably is tried again
 */
@ConfigurationProperties("certflow.issuance")
public record IssuanceProperties(@DefaultValue Ca ca,
                                 String keyEncryptionKey,
                                 List<String> previousKeyEncryptionKeys,
                                 @DefaultValue("100ms") Duration pollInterval,
                                 @DefaultValue("1s") Duration orderPollDelay,
                                 @DefaultValue("2m") Duration claimLease,
                                 @DefaultValue("20") int batchSize,
                                 @DefaultValue("30m") Duration challengeTimeout,
                                 @DefaultValue("30m") Duration validationTimeout,
                                 @DefaultValue Backoff backoff,
                                 @DefaultValue RateLimit rateLimit,
                                 @DefaultValue FirstIssuanceRetry firstIssuanceRetry,
                                 @DefaultValue("250ms") Duration firstPollDelay) {

    public IssuanceProperties {
        previousKeyEncryptionKeys = previousKeyEncryptionKeys == null ? List.of() : List.copyOf(previousKeyEncryptionKeys);
    }

    /**
     * The CA profile issuance-service orders from.
     *
     * @param name               the profile name requests refer to ({@code CertificateRequested.caProfile})
     * @param directoryUrl       the ACME directory URL
     * @param trustedCertificate PEM file of the anchors the CA's TLS listener chains to (blank: JVM default trust)
     * @param contactEmail       contact address registered with the CA account (optional)
     * @param requestTimeout     timeout of each single request to the CA
     * @param caaIdentities      the CA's issuer domain names for the CAA pre-check (default: the directory's
     *                           {@code meta.caaIdentities})
     */
    public record Ca(@DefaultValue("default") String name,
                     URI directoryUrl,
                     String trustedCertificate,
                     String contactEmail,
                     @DefaultValue("10s") Duration requestTimeout,
                     List<String> caaIdentities) {

        public Ca {
            caaIdentities = caaIdentities == null ? List.of() : List.copyOf(caaIdentities);
        }

        /** The trusted-certificate path, when one is configured. */
        public Optional<Path> trustedCertificatePath() {
            return trustedCertificate == null || trustedCertificate.isBlank()
                    ? Optional.empty() : Optional.of(Path.of(trustedCertificate.trim()));
        }

        /** The contact email, when one is configured. */
        public Optional<String> contact() {
            return contactEmail == null || contactEmail.isBlank() ? Optional.empty() : Optional.of(contactEmail.trim());
        }
    }

    /**
     * Waits before a first issuance that failed retryably is tried again ({@link FirstIssuanceRetries}): the
     * initial one, doubled after each further failure up to the maximum (cert-manager's 1 h to 32 h).
     *
     * @param initialBackoff wait after the first failure
     * @param maxBackoff     longest wait
     */
    public record FirstIssuanceRetry(@DefaultValue("1h") Duration initialBackoff,
                                     @DefaultValue("32h") Duration maxBackoff) {
    }

    /**
     * Bounded exponential backoff of transient CA failures ({@code Retry-After} is honoured when longer).
     *
     * @param initial     wait after the first failure
     * @param multiplier  growth per further failure
     * @param max         longest wait
     * @param maxFailures consecutive transient failures after which the attempt fails (retryable)
     */
    public record Backoff(@DefaultValue("2s") Duration initial,
                          @DefaultValue("2.0") double multiplier,
                          @DefaultValue("5m") Duration max,
                          @DefaultValue("8") int maxFailures) {
    }

    /**
     * The new-order limit per (CA profile, ACME account); defaults to Let's Encrypt's published limit.
     * Attempts beyond it wait in line (first come, first served) instead of failing.
     *
     * @param newOrders new orders allowed per window
     * @param window    length of the sliding window
     */
    public record RateLimit(@DefaultValue("300") int newOrders, @DefaultValue("3h") Duration window) {
    }
}
