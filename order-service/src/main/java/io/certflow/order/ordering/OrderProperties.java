package io.certflow.order.ordering;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * What order-service accepts, configurable per deployment.
 *
 * @param defaultProduct the product of an API order that names none
 * @param maxDomains     the most names one order may certify (whatever the product)
 * @param products       the catalogue, {@code certflow.order.products.<code>.*}: entries add products or
 *                       override single settings of the built-in ones ({@link ProductCatalogue#BUILT_IN})
 */
@ConfigurationProperties("certflow.order")
public record OrderProperties(@DefaultValue("dv-single") String defaultProduct,
                              @DefaultValue("100") int maxDomains,
                              Map<String, ProductSettings> products) {

    public OrderProperties {
        if (defaultProduct == null || defaultProduct.isBlank()) {
            throw new IllegalArgumentException("certflow.order.default-product must not be blank");
        }
        if (maxDomains < 1) {
            throw new IllegalArgumentException("certflow.order.max-domains must be at least 1");
        }
        products = products == null ? Map.of() : Map.copyOf(products);
    }

    /**
     * One product's settings, {@code certflow.order.products.<code>.*}; every setting is optional and,
     * when absent, taken from the built-in product of the same code (or the defaults of a new product:
     * one name, no wildcard, paid, the default CA profile).
     *
     * @param maxDomains the most names (capped at {@code certflow.order.max-domains}); {@code 0} for that maximum
     * @param wildcard   whether wildcard names ({@code *.example.com}) are allowed
     * @param paid       whether the product is paid; only paid products can be hosted (renewed for the term)
     * @param caProfile  the CA profile certificates of this product are issued with
     *                   ({@code CertificateRequested.caProfile}); absent: the default profile
     */
    public record ProductSettings(Integer maxDomains, Boolean wildcard, Boolean paid, String caProfile) {
    }
}
