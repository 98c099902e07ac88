package io.certflow.deployment.target.aws;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Configuration of the AWS targets ({@code certflow.deployment.aws.*}): how long and how often one AWS call may be
 * tried, whether a credential may name its own endpoint, and how many certflow uploads an ACM region keeps.
 *
 * @param customEndpoints  whether a credential may set {@code endpoint} (tests, private API gateways); off by default,
 *                         so that an account's credential cannot make the service call an address of its choosing
 * @param timeout          how long one AWS API call may take, its retries included
 * @param maxAttempts      how often the SDK tries one call that failed transiently (throttled, 5xx, I/O) before the
 *                         deployment answers "unreachable" and the job's own backoff takes over; 1 = no SDK retries
 * @param keepCertificates after a successful rotation, the certflow uploads kept per credential and region (the newest);
 *                         null = {@code certflow.deployment.cloud.keep-certificates}
 */
@ConfigurationProperties("certflow.deployment.aws")
public record AwsTargetProperties(@DefaultValue("false") boolean customEndpoints,
                                  @DefaultValue("30s") Duration timeout,
                                  @DefaultValue("3") int maxAttempts,
                                  Integer keepCertificates) {

    public AwsTargetProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("certflow.deployment.aws.max-attempts must be at least 1");
        }
        if (keepCertificates != null && keepCertificates < 1) {
            throw new IllegalArgumentException("certflow.deployment.aws.keep-certificates must be at least 1");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("certflow.deployment.aws.timeout must be positive");
        }
    }
}
