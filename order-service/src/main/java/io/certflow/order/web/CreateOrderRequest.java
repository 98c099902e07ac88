package io.certflow.order.web;

import java.util.List;

/**
 * Body of {@code POST /api/v1/orders}. Only {@code domains} is required; the rules are checked by
 * {@link io.certflow.order.ordering.OrderTerms}, so the API and purchases answer alike.
 *
 * @param domains   the names to certify
 * @param product   the product (default {@code dv-single})
 * @param termYears the paid term, 1 to 3 (default 1)
 * @param hosting   whether certflow renews it for the term (default true)
 */
public record CreateOrderRequest(List<String> domains, String product, Integer termYears, Boolean hosting) {
}
