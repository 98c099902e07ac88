package io.certflow.order.ordering;

/**
 * Why an order or a purchase is refused, machine-readable: the {@code reasonCode} of
 * {@code PurchaseRejected}. The sentence that goes with it is the {@link InvalidOrderException}'s message.
 */
public enum ReasonCode {
    /** A name breaks the syntax rules (RFC 1035/5890, wildcard placement, label length…), or none was given. */
    INVALID_DOMAIN,
    /** A name is a public suffix, or a wildcard directly under one. */
    PUBLIC_SUFFIX,
    /** More distinct names than the product (or certflow.order.max-domains) allows. */
    TOO_MANY_DOMAINS,
    /** The product code is malformed or not in the catalogue. */
    UNKNOWN_PRODUCT,
    /** A wildcard name in a product without wildcards. */
    WILDCARD_NOT_IN_PRODUCT,
    /** Hosting asked for on a product that is not paid. */
    HOSTING_NOT_IN_PRODUCT,
    /** The term is missing or not 1 to 3 years. */
    INVALID_TERM,
    /** The upstream order id is already used, by another order or with different terms. */
    CONFLICTING_DUPLICATE,
    /** The key type is not one certflow issues for (API orders only; purchases name no key type). */
    INVALID_KEY_TYPE,
    /** The verification method is neither CNAME_DELEGATION nor DNS_PROVIDER (applications only). */
    INVALID_VERIFICATION_METHOD,
    /** Upstream billing cancelled the order ({@code PurchaseCancelled}) before its purchase arrived. */
    PURCHASE_CANCELLED
}
