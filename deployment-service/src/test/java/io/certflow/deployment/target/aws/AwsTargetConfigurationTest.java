package io.certflow.deployment.target.aws;

import io.certflow.deployment.config.DeploymentProperties;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetAccess;
import io.certflow.deployment.testing.InMemoryCloudCertificateLedger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AWS targets as the service wires them: three types, AWS's own endpoints only unless allowed, the keep-count. */
class AwsTargetConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DeploymentProperties.class)
    static class Service {
        @Bean
        CloudCertificateLedger ledger() {
            return new InMemoryCloudCertificateLedger();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Service.class, AwsTargetConfiguration.class);

    private static TargetAccess withEndpoint() {
        return new TargetAccess("c", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE", "region", "eu-west-1",
                "endpoint", "http://127.0.0.1:1"), Map.of("secretAccessKey", "s3cr3t"));
    }

    @Test
    void registersTheThreeAwsTypesOnAwsOwnEndpointsWithTheServicesKeepCount() {
        runner.withPropertyValues("certflow.deployment.cloud.keep-certificates=5").run(context -> {
            assertThat(context.getBeansOfType(DeploymentTarget.class).values()).extracting(DeploymentTarget::type)
                    .containsExactlyInAnyOrder("aws-cloudfront", "aws-elb", "aws-acm");
            assertThat(context.getBean(AcmCertificates.class).keep()).isEqualTo(5);
            assertThat(context.getBeansOfType(DeploymentTarget.class).values()).allMatch(t -> t.needsCredential() && t.discovers());
            assertThatThrownBy(() -> context.getBean(CloudFrontTarget.class).validateCredential(withEndpoint()))
                    .isInstanceOf(InvalidTargetConfigException.class).hasMessageContaining("'endpoint' is not allowed");
        });
    }

    @Test
    void itsOwnPropertiesWin() {
        runner.withPropertyValues("certflow.deployment.aws.custom-endpoints=true", "certflow.deployment.aws.keep-certificates=1",
                "certflow.deployment.aws.timeout=5s").run(context -> {
            assertThat(context.getBean(AcmCertificates.class).keep()).isEqualTo(1);
            context.getBean(ElbListenerTarget.class).validateCredential(withEndpoint());
            assertThat(context.getBean(AwsTargetProperties.class).timeout()).hasSeconds(5);
        });
    }
}
