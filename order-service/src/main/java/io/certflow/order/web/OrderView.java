package io.certflow.order.web;

import io.certflow.order.ordering.Order;

import java.time.Instant;
import java.util.List;

/**
 * An order as the API shows it (docs/api.md). Absent fields are left out of the JSON.
 *
 * @param orderId              the public order id (the upstream order id for purchases)
 * @param certificateId        the managed certificate the order became (reserved at purchase)
 * @param accountId            the owning account
 * @param domains              the canonical names (empty while a purchase waits for its application)
 * @param product              the product
 * @param paid                 whether the product is paid (only paid products are hosted)
 * @param termYears            the paid term in years
 * @param hosting              whether certflow renews the certificate for the term
 * @param status               {@code PURCHASED}, {@code APPLIED}, {@code ISSUED}, {@code HOSTED} or {@code CANCELLED}
 * @param createdAt            when it was placed or purchased (the term's start)
 * @param termEndsAt           when the paid term ends
 * @param source               {@code API} or {@code PURCHASE}
 * @param keyType              the key type asked for (absent: the CA profile's default)
 * @param reuseKey             whether renewals keep the key
 * @param verificationMethod   the verification method the application chose (absent: as each domain is set up)
 * @param appliedAt            when the certificate was requested
 * @param certificatesIssued   how many versions were issued (first issuance and renewals)
 * @param serialNumber         the latest version's serial
 * @param certificateExpiresAt when the latest version expires
 * @param lastFailure          the last issuance failure since the latest version
 * @param lastFailureAt        when it failed
 * @param cancelledAt          when it was cancelled
 * @param cancelReason         why
 * @param revokeRequested      whether the cancellation asked to revoke the live certificate
 */
public record OrderView(String orderId, String certificateId, String accountId, List<String> domains, String product,
                        boolean paid, int termYears, boolean hosting, String status, Instant createdAt,
                        Instant termEndsAt, String source, String keyType, boolean reuseKey,
                        String verificationMethod, Instant appliedAt, int certificatesIssued, String serialNumber,
                        Instant certificateExpiresAt, String lastFailure, Instant lastFailureAt, Instant cancelledAt,
                        String cancelReason, Boolean revokeRequested) {

    static OrderView of(Order order) {
        return new OrderView(order.getOrderId(), order.getCertificateId(), order.getAccountId(), order.getDomains(),
                order.getProduct(), order.isPaid(), order.getTermYears(), order.isHosting(), order.getStatus().name(),
                order.getCreatedAt(), order.getTermEndsAt(), order.getSource().name(),
                order.getKeyType(), order.isReuseKey(), order.getVerificationMethod(), order.getAppliedAt(),
                order.getCertificatesIssued(), order.getSerialNumber(), order.getCertificateExpiresAt(),
                order.getLastFailure(), order.getLastFailureAt(), order.getCancelledAt(), order.getCancelReason(),
                order.getCancelledAt() == null ? null : order.isRevokeRequested());
    }
}
