package io.certflow.deployment.target.alibaba;

import io.certflow.deployment.config.DeploymentProperties;
import io.certflow.deployment.target.CloudCertificateLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the Alibaba Cloud targets ({@code alibaba-cdn}, {@code alibaba-dcdn}, {@code alibaba-slb}, {@code alibaba-alb},
 * {@code alibaba-oss}, {@code alibaba-waf}) with their own properties
 * ({@code certflow.deployment.alibaba.*}); how many uploads each credential keeps in its certificate store is the
 * service's {@code certflow.deployment.cloud.keep-certificates}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlibabaProperties.class)
public class AlibabaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlibabaConfiguration.class);

    @Bean
    public AlibabaClients alibabaClients(AlibabaProperties properties) {
        if (properties.customEndpoints()) {
            log.warn("certflow.deployment.alibaba.custom-endpoints=true: Alibaba Cloud credentials may name their own"
                    + " endpoint, which then receives signed requests and private keys; use this for tests only");
        }
        return new AlibabaClients(properties);
    }

    @Bean
    public AlibabaCdnTarget alibabaCdnTarget(AlibabaClients clients, AlibabaProperties properties,
                                             CloudCertificateLedger ledger, DeploymentProperties deployment) {
        return new AlibabaCdnTarget(clients, properties, ledger, deployment.cloud().keepCertificates());
    }

    @Bean
    public AlibabaDcdnTarget alibabaDcdnTarget(AlibabaClients clients, AlibabaProperties properties,
                                               CloudCertificateLedger ledger, DeploymentProperties deployment) {
        return new AlibabaDcdnTarget(clients, properties, ledger, deployment.cloud().keepCertificates());
    }

    @Bean
    public AlibabaAlbTarget alibabaAlbTarget(AlibabaClients clients, AlibabaProperties properties,
                                             CloudCertificateLedger ledger, DeploymentProperties deployment) {
        return new AlibabaAlbTarget(clients, properties, ledger, deployment.cloud().keepCertificates());
    }

    @Bean
    public AlibabaSlbTarget alibabaSlbTarget(AlibabaClients clients, AlibabaProperties properties,
                                             CloudCertificateLedger ledger, DeploymentProperties deployment) {
        return new AlibabaSlbTarget(clients, properties, ledger, deployment.cloud().keepCertificates());
    }

    @Bean
    public AlibabaOssTarget alibabaOssTarget(AlibabaClients clients, AlibabaProperties properties,
                                             CloudCertificateLedger ledger, DeploymentProperties deployment) {
        return new AlibabaOssTarget(clients, properties, ledger, deployment.cloud().keepCertificates());
    }

    @Bean
    public AlibabaWafTarget alibabaWafTarget(AlibabaClients clients, AlibabaProperties properties,
                                             CloudCertificateLedger ledger, DeploymentProperties deployment) {
        return new AlibabaWafTarget(clients, properties, ledger, deployment.cloud().keepCertificates());
    }
}
