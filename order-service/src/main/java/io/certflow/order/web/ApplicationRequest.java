package io.certflow.order.web;

import java.util.List;

/**
 * Body of {@code POST /api/v1/orders/{orderId}/application}: what a purchase that named no domains leaves
 * to its application. Exists so that the purchase (billing's) and the choices of the certificate (the
 * customer's) can come from different people at different times, as with managed CAs.
 *
 * @param domains            the names to certify (required), as many and of the kinds the product covers
 * @param verificationMethod {@code CNAME_DELEGATION} or {@code DNS_PROVIDER} (default: what each domain is set up for)
 * @param keyType            the certificate key type (default: the CA profile's)
 * @param reuseKey           keep the key across renewals (default false)
 */
public record ApplicationRequest(List<String> domains, String verificationMethod, String keyType, Boolean reuseKey) {
}
