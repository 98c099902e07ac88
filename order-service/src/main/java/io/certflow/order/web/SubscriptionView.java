package io.certflow.order.web;

import io.certflow.order.ordering.CertificateLifetimes;
import io.certflow.order.ordering.Order;
import io.certflow.order.ordering.OrderStatus;

import java.time.Instant;
import java.util.List;

/**
 * A subscription as the API shows it: the term an order bought, which outlives any one certificate
 * (hosting renews for the whole term). One order is one subscription; this view puts the term first.
 *
 * @param subscriptionId       the order id (one subscription per order, per upstream order)
 * @param certificateId        the managed certificate renewed under it
 * @param product              the product
 * @param paid                 whether the product is paid
 * @param domains              the names (empty while the purchase waits for its application)
 * @param termYears            the term in years
 * @param termStartsAt         when the term started (the purchase or order)
 * @param termEndsAt           when it ends
 * @param hosting              whether certflow renews the certificate
 * @param renewsUntil          the last moment renewals are entitled to (the term's end; absent when not hosted or
 *                             cancelled)
 * @param status               the order's status
 * @param active               whether the term runs now (not cancelled, not ended)
 * @param certificatesIssued   how many versions were issued under it
 * @param certificateExpiresAt when the latest version expires
 * @param certificateLifetimeDays the longest a certificate issued now may live (CA/Browser Forum: 200 days now, 100
 *                             from 2027-03-15, 47 from 2029-03-15)
 * @param fewestCertificatesInTerm how many certificates at the least cover the whole term, each living that long
 */
public record SubscriptionView(String subscriptionId, String certificateId, String product, boolean paid,
                               List<String> domains, int termYears, Instant termStartsAt, Instant termEndsAt,
                               boolean hosting, Instant renewsUntil, String status, boolean active,
                               int certificatesIssued, Instant certificateExpiresAt, int certificateLifetimeDays,
                               int fewestCertificatesInTerm) {

    static SubscriptionView of(Order order, Instant now) {
        boolean renews = order.isHosting() && order.getStatus() != OrderStatus.CANCELLED;
        return new SubscriptionView(order.getOrderId(), order.getCertificateId(), order.getProduct(), order.isPaid(),
                order.getDomains(), order.getTermYears(), order.getCreatedAt(), order.getTermEndsAt(),
                order.isHosting(), renews ? order.getTermEndsAt() : null, order.getStatus().name(),
                order.isActiveAt(now), order.getCertificatesIssued(), order.getCertificateExpiresAt(),
                CertificateLifetimes.maxDays(now),
                CertificateLifetimes.fewestCertificates(order.getCreatedAt(), order.getTermEndsAt()));
    }
}
