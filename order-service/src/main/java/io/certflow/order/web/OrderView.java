package io.certflow.order.web;

import io.certflow.order.ordering.Order;

import java.time.Instant;
import java.util.List;

/**
 * An order as the API shows it (docs/api.md).
 *
 * @param orderId       the public order id
 * @param certificateId the managed certificate the order became
 * @param accountId     the owning account
 * @param domains       the canonical names
 * @param product       the product
 * @param termYears     the paid term in years
 * @param hosting       whether certflow renews the certificate
 * @param status        where the order stands
 * @param createdAt     when it was placed
 * @param termEndsAt    when the paid term ends
 * @param source        {@code API} or {@code PURCHASE}
 * @param keyType       the key type asked for (absent: the CA profile's default)
 * @param reuseKey      whether renewals keep the key
 */
public record OrderView(String orderId, String certificateId, String accountId, List<String> domains, String product,
                        int termYears, boolean hosting, String status, Instant createdAt, Instant termEndsAt,
                        String source, String keyType, boolean reuseKey) {

    static OrderView of(Order order) {
        return new OrderView(order.getOrderId(), order.getCertificateId(), order.getAccountId(), order.getDomains(),
                order.getProduct(), order.getTermYears(), order.isHosting(), order.getStatus().name(),
                order.getCreatedAt(), order.getTermEndsAt(), order.getSource().name(),
                order.getKeyType(), order.isReuseKey());
    }
}
