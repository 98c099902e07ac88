package io.certflow.hosting.renewal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Makes the configured {@link RenewalPolicy} one bean, shared by the listeners, the scheduler and the API. */
@Configuration(proxyBeanMethods = false)
public class HostingConfiguration {

    @Bean
    public RenewalPolicy renewalPolicy(HostingProperties properties) {
        return properties.policy();
    }
}
