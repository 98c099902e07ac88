package io.certflow.order.web;

/**
 * The query parameters of the order and subscription lists, bound as they come (all text, so that
 * {@link ListParameters} answers a value it does not understand with a 400 naming it); each optional.
 *
 * @param status comma-separated order states
 * @param product a product code
 * @param domain  a name the order certifies (any form: it is compared in canonical form)
 * @param source  {@code API} or {@code PURCHASE}
 * @param active  {@code true}: running terms only; {@code false}: ended or cancelled ones only
 * @param page    the page, from 0
 * @param size    the page size, 1 to 100 (default 20)
 */
public record ListQuery(String status, String product, String domain, String source, String active, String page,
                        String size) {
}
