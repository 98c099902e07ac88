package io.certflow.issuance.caa;

import io.certflow.issuance.caa.dns.DnsjavaCaaResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link CaaCheck} from {@link CaaProperties}: on with the dnsjava resolver when
 * {@code certflow.issuance.caa.resolver} is set, off otherwise. Says which, once, at startup.
 */
@Configuration(proxyBeanMethods = false)
public class CaaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CaaConfiguration.class);

    @Bean
    public CaaCheck caaCheck(CaaProperties properties) {
        if (properties.resolver() == null || properties.resolver().isBlank()) {
            log.info("CAA pre-check off: certflow.issuance.caa.resolver is not set (the CA still checks CAA)");
            return CaaCheck.off();
        }
        DnsjavaCaaResolver resolver = new DnsjavaCaaResolver(DnsjavaCaaResolver.parseAddress(properties.resolver()),
                properties.timeout());
        log.info("CAA pre-check on: asks {} before each new ACME order", resolver);
        return new CaaCheck(resolver);
    }
}
