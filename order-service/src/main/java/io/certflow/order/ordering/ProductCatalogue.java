package io.certflow.order.ordering;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The products certflow sells: the built-in ones ({@link #BUILT_IN}), with single settings overridden
 * and products added by {@code certflow.order.products.<code>.*}.
 */
public final class ProductCatalogue {

    /** Marks "as many names as {@code certflow.order.max-domains} allows" in {@link #BUILT_IN}. */
    private static final int UP_TO_MAX = 0;

    /**
     * The built-in products: {@code dv-single} (one name, no wildcard, paid), {@code dv-wildcard} (apex and
     * wildcard: up to two names, wildcards allowed, paid), {@code dv-multi} (up to
     * {@code certflow.order.max-domains} names, wildcards allowed, paid), {@code dv-free} (one name, not
     * paid, so not hostable). None names a CA profile.
     */
    public static final Map<String, OrderProperties.ProductSettings> BUILT_IN = builtIn();

    private final Map<String, Product> products;

    private ProductCatalogue(Map<String, Product> products) {
        this.products = Collections.unmodifiableMap(new LinkedHashMap<>(products));
    }

    /**
     * The catalogue of these settings.
     *
     * @throws IllegalArgumentException if a configured product is invalid
     */
    public static ProductCatalogue of(OrderProperties properties) {
        Map<String, Product> products = new LinkedHashMap<>();
        Map<String, OrderProperties.ProductSettings> all = new LinkedHashMap<>(BUILT_IN);
        properties.products().forEach((code, configured) -> all.merge(code, configured, ProductCatalogue::override));
        all.forEach((code, settings) -> products.put(code, product(code, settings, properties.maxDomains())));
        return new ProductCatalogue(products);
    }

    /** The product with this code, if sold. */
    public Optional<Product> find(String code) {
        return Optional.ofNullable(code == null ? null : products.get(code.trim()));
    }

    /** Every product sold. */
    public Collection<Product> all() {
        return products.values();
    }

    /**
     * The product of {@code terms}, after checking that the terms fit it.
     *
     * @throws InvalidOrderException {@link ReasonCode#UNKNOWN_PRODUCT} for a product not sold, or the rule of
     *                               {@link Product#check(OrderTerms)} broken
     */
    public Product check(OrderTerms terms) {
        Product product = find(terms.product()).orElseThrow(() -> new InvalidOrderException(ReasonCode.UNKNOWN_PRODUCT,
                "product: '" + terms.product() + "' is not a product; products are " + String.join(", ", products.keySet())));
        product.check(terms);
        return product;
    }

    private static OrderProperties.ProductSettings override(OrderProperties.ProductSettings base,
                                                            OrderProperties.ProductSettings configured) {
        return new OrderProperties.ProductSettings(
                configured.maxDomains() != null ? configured.maxDomains() : base.maxDomains(),
                configured.wildcard() != null ? configured.wildcard() : base.wildcard(),
                configured.paid() != null ? configured.paid() : base.paid(),
                configured.caProfile() != null ? configured.caProfile() : base.caProfile());
    }

    private static Product product(String code, OrderProperties.ProductSettings settings, int maxDomains) {
        int max = settings.maxDomains() == null ? 1 : settings.maxDomains();
        if (max < 0) {
            throw new IllegalArgumentException("certflow.order.products." + code + ".max-domains must not be negative");
        }
        max = max == UP_TO_MAX ? maxDomains : Math.min(max, maxDomains);
        return new Product(code, max, Boolean.TRUE.equals(settings.wildcard()),
                settings.paid() == null || settings.paid(), settings.caProfile());
    }

    private static Map<String, OrderProperties.ProductSettings> builtIn() {
        Map<String, OrderProperties.ProductSettings> builtIn = new LinkedHashMap<>();
        builtIn.put("dv-single", new OrderProperties.ProductSettings(1, false, true, null));
        builtIn.put("dv-wildcard", new OrderProperties.ProductSettings(2, true, true, null));
        builtIn.put("dv-multi", new OrderProperties.ProductSettings(UP_TO_MAX, true, true, null));
        builtIn.put("dv-free", new OrderProperties.ProductSettings(1, false, false, null));
        return Collections.unmodifiableMap(builtIn);
    }
}
