package io.certflow.deployment.target.aws;

import io.certflow.deployment.config.DeploymentProperties;
import io.certflow.deployment.target.CloudCertificateLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the AWS targets ({@code aws-cloudfront}, {@code aws-elb}, {@code aws-acm}) with their shared ACM upload
 * path. The keep-count of old ACM imports is {@code certflow.deployment.aws.keep-certificates}, else the service's
 * {@code certflow.deployment.cloud.keep-certificates}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AwsTargetProperties.class)
public class AwsTargetConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AwsTargetConfiguration.class);

    @Bean
    public AcmCertificates awsAcmCertificates(CloudCertificateLedger ledger, AwsTargetProperties aws,
                                              DeploymentProperties deployment) {
        if (aws.customEndpoints()) {
            log.warn("certflow.deployment.aws.custom-endpoints is on: AWS credentials may send certificates and keys to "
                    + "any endpoint they name (meant for tests)");
        }
        int keep = aws.keepCertificates() != null ? aws.keepCertificates() : deployment.cloud().keepCertificates();
        return new AcmCertificates(ledger, () -> keep);
    }

    @Bean
    public CloudFrontTarget awsCloudFrontTarget(AwsTargetProperties aws, AcmCertificates awsAcmCertificates) {
        return new CloudFrontTarget(aws, awsAcmCertificates);
    }

    @Bean
    public AcmCertificateTarget awsAcmCertificateTarget(AwsTargetProperties aws, AcmCertificates awsAcmCertificates,
                                                        CloudCertificateLedger ledger) {
        return new AcmCertificateTarget(aws, awsAcmCertificates, ledger);
    }

    @Bean
    public ElbListenerTarget awsElbListenerTarget(AwsTargetProperties aws, AcmCertificates awsAcmCertificates) {
        return new ElbListenerTarget(aws, awsAcmCertificates);
    }
}
