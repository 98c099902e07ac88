package io.certflow.order.ordering;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What order-service accepts, configurable per deployment.
 *
 * @param defaultProduct the product of an API order that names none
 * @param maxDomains     the most names one order may certify
 */
@ConfigurationProperties("certflow.order")
public record OrderProperties(@DefaultValue("dv-single") String defaultProduct,
                              @DefaultValue("100") int maxDomains) {

    public OrderProperties {
        if (defaultProduct == null || defaultProduct.isBlank()) {
            throw new IllegalArgumentException("certflow.order.default-product must not be blank");
        }
        if (maxDomains < 1) {
            throw new IllegalArgumentException("certflow.order.max-domains must be at least 1");
        }
    }
}
