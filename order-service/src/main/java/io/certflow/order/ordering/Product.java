package io.certflow.order.ordering;

/**
 * A product of the catalogue: what one order of it may contain and how it is issued.
 *
 * @param code       the product code, e.g. {@code dv-single}
 * @param maxDomains the most distinct names an order of it may certify
 * @param wildcard   whether wildcard names are allowed
 * @param paid       whether it is paid; only paid products can be hosted
 * @param caProfile  the CA profile to issue with, or null for the default profile
 */
public record Product(String code, int maxDomains, boolean wildcard, boolean paid, String caProfile) {

    public Product {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("a product needs a code");
        }
        if (maxDomains < 1) {
            throw new IllegalArgumentException("product " + code + ": max-domains must be at least 1");
        }
        caProfile = caProfile == null || caProfile.isBlank() ? null : caProfile.trim();
    }

    /**
     * Checks that {@code terms} fit this product.
     *
     * @throws InvalidOrderException {@link ReasonCode#TOO_MANY_DOMAINS}, {@link ReasonCode#WILDCARD_NOT_IN_PRODUCT}
     *                               or {@link ReasonCode#HOSTING_NOT_IN_PRODUCT}, naming the first rule broken
     */
    public void check(OrderTerms terms) {
        if (terms.domains().size() > maxDomains) {
            throw new InvalidOrderException(ReasonCode.TOO_MANY_DOMAINS, "domains: " + terms.domains().size()
                    + " distinct names given; product '" + code + "' covers at most " + maxDomains
                    + (maxDomains == 1 ? " name" : " names"));
        }
        if (!wildcard) {
            for (int i = 0; i < terms.domains().size(); i++) {
                String name = terms.domains().get(i);
                if (name.startsWith("*.")) {
                    throw new InvalidOrderException(ReasonCode.WILDCARD_NOT_IN_PRODUCT, "domains[" + i + "]: '" + name
                            + "' is a wildcard; product '" + code + "' does not cover wildcard names");
                }
            }
        }
        if (terms.hosting() && !paid) {
            throw new InvalidOrderException(ReasonCode.HOSTING_NOT_IN_PRODUCT, "hosting: product '" + code
                    + "' is free and cannot be hosted (renewed for the term); order it with hosting false, or a paid product");
        }
    }
}
