package io.certflow.order.web;

import java.util.List;

/**
 * Body of {@code POST /api/v1/orders}. Only {@code domains} is required; the rules are checked by
 * {@link io.certflow.order.ordering.OrderTerms}, so the API and purchases answer alike.
 *
 * @param domains            the names to certify, as many and of the kinds the product covers
 * @param product            the product code (default {@code certflow.order.default-product}, {@code dv-single}):
 *                           {@code dv-single}, {@code dv-wildcard}, {@code dv-multi}, {@code dv-free} or a configured one
 * @param termYears          the paid term, 1 to 3 (default 1)
 * @param hosting            whether certflow renews it for the term (default true on a paid product, false on a free
 *                           one; a free product cannot be hosted)
 * @param keyType            the certificate key: {@code EC_P256}, {@code EC_P384}, {@code RSA_2048}, {@code RSA_3072} or
 *                           {@code RSA_4096} (default: the CA profile's, EC P-256)
 * @param reuseKey           keep the key across renewals (default false: a new key at every renewal)
 * @param verificationMethod {@code CNAME_DELEGATION} or {@code DNS_PROVIDER} (default: what each domain is set up for)
 */
public record CreateOrderRequest(List<String> domains, String product, Integer termYears, Boolean hosting,
                                 String keyType, Boolean reuseKey, String verificationMethod) {
}
