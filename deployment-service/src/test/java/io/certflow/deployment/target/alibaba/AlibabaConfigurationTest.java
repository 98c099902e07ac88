package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.config.DeploymentProperties;
import io.certflow.deployment.target.CloudCertificateLedger;
import io.certflow.deployment.target.DeploymentTarget;
import io.certflow.deployment.testing.InMemoryCloudCertificateLedger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The Alibaba targets are beans of their own configuration, with their own properties. */
class AlibabaConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DeploymentProperties.class)
    static class Ledger {
        @Bean
        CloudCertificateLedger ledger() {
            return new InMemoryCloudCertificateLedger();
        }
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Ledger.class, AlibabaConfiguration.class);

    @Test
    void registersTheTargetsWithTheirProperties() {
        context.withPropertyValues("certflow.deployment.alibaba.read-back-window=30s",
                        "certflow.deployment.alibaba.page-size=20")
                .run(c -> {
                    assertThat(c.getBeansOfType(DeploymentTarget.class).values()).extracting(DeploymentTarget::type)
                            .containsExactlyInAnyOrder("alibaba-cdn", "alibaba-dcdn", "alibaba-slb", "alibaba-alb",
                                    "alibaba-oss", "alibaba-waf");
                    AlibabaProperties properties = c.getBean(AlibabaProperties.class);
                    assertThat(properties.readBackWindow()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(properties.pageSize()).isEqualTo(20);
                    assertThat(properties.customEndpoints()).isFalse();
                });
    }
}
