package io.certflow.deployment.target.webhook;

import io.certflow.deployment.tls.ServedCertificateReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Registers the webhook target with its own settings, so that this adapter is wired where it lives and the
 * service's shared wiring does not change when it is added.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookTargetConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhookTargetConfiguration.class);

    @Bean
    public WebhookTarget webhookTarget(ServedCertificateReader reader, WebhookProperties properties, Clock clock) {
        if (properties.allowedHosts() == null || properties.allowedHosts().isEmpty()) {
            log.warn("certflow.deployment.webhook.allowed-hosts is empty: webhook resources may make this service "
                    + "POST to any address it reaches");
        }
        return new WebhookTarget(reader, WebhookTarget.httpClient(properties.connectTimeout()),
                new WebhookTarget.Settings(properties.requestTimeout(), properties.readBackWindow(),
                        properties.readBackInterval(), properties.allowedHosts()), clock);
    }
}
