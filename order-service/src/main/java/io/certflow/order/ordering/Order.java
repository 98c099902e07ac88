package io.certflow.order.ordering;

import io.certflow.events.v1.CertificateIssued;
import io.certflow.events.v1.CertificateRequested;
import io.certflow.events.v1.IssuanceFailed;
import io.certflow.events.v1.OrderCancelled;
import io.certflow.events.v1.PurchaseAccepted;
import io.certflow.platform.outbox.Aggregate;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * One order, which is also the subscription it bought: what was bought, for which account, for which
 * term, and the managed certificate it became. Applying an order raises {@link CertificateRequested}
 * (and, for an upstream purchase, the answer {@link PurchaseAccepted}) in the same document write, so
 * both are published exactly when the order exists. A purchase that names no domains is kept
 * {@link OrderStatus#PURCHASED} (answered at once) until its application names them.
 *
 * <p>Its state follows the certificate's life from the events order-service consumes
 * ({@code CertificateIssued}: issued or hosted; {@code IssuanceFailed}: the last failure shown) and its
 * cancellation, which raises {@link OrderCancelled} in the same write.
 *
 * <p>The document id is the public order id for API orders, and {@code upstream:<orderId>} for
 * purchases, so a replayed purchase finds its order instead of creating a second one.
 */
@Document("orders")
@CompoundIndex(name = "account_created", def = "{'accountId': 1, 'createdAt': -1}")
public class Order extends Aggregate {

    /** Prefix of the document id of an order that came from upstream billing. */
    public static final String UPSTREAM_ID_PREFIX = "upstream:";

    @Indexed(unique = true)
    private String orderId;
    @Indexed(unique = true)
    private String certificateId;
    private OrderSource source;
    private String purchaseEventId;
    private List<String> domains;
    private String product;
    private int termYears;
    private boolean hosting;
    private OrderStatus status;
    private Instant createdAt;
    private Instant termEndsAt;
    private String caProfile;
    private String keyType;
    private boolean reuseKey;
    private boolean paid = true;
    private boolean domainsFromPurchase = true;
    private String verificationMethod;
    private Instant appliedAt;
    private int certificatesIssued;
    private String serialNumber;
    private Instant certificateIssuedAt;
    private Instant certificateExpiresAt;
    private String lastFailure;
    private Instant lastFailureAt;
    private Instant cancelledAt;
    private String cancelReason;
    private boolean revokeRequested;

    /** For Spring Data. */
    protected Order() {
    }

    private Order(String id, String accountId) {
        super(id, accountId);
    }

    /**
     * A new order, applied at once: its certificate is requested with the same write.
     *
     * @param id              the document id ({@link #upstreamId(String)} for purchases)
     * @param orderId         the public order id
     * @param accountId       the buying account
     * @param certificateId   the new managed certificate's id
     * @param terms           what was bought, already checked
     * @param source          how the order came in
     * @param purchaseEventId the upstream event that created it (null for API orders)
     * @param now             the time of applying
     */
    public static Order apply(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                              OrderSource source, UUID purchaseEventId, Instant now) {
        return apply(id, orderId, accountId, certificateId, terms, null, KeyChoice.DEFAULT, source, purchaseEventId, now);
    }

    /**
     * A new order, applied at once: its certificate is requested with the same write, and, for a
     * purchase, the purchase is answered with {@link PurchaseAccepted} in that write too.
     *
     * @param id              the document id ({@link #upstreamId(String)} for purchases)
     * @param orderId         the public order id (the upstream order id for purchases)
     * @param accountId       the buying account
     * @param certificateId   the new managed certificate's id
     * @param terms           what was bought, already checked
     * @param caProfile       the product's CA profile, or null for the default profile
     * @param key             the key type and whether renewals keep the key
     * @param source          how the order came in
     * @param purchaseEventId the upstream event that created it (null for API orders)
     * @param now             the time of applying
     */
    public static Order apply(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                              String caProfile, KeyChoice key, OrderSource source, UUID purchaseEventId,
                              Instant now) {
        return apply(id, orderId, accountId, certificateId, terms, new Product(terms.product(), Math.max(1,
                terms.domains().size()), true, true, caProfile), key, null, source, purchaseEventId, now);
    }

    /**
     * A new order, applied at once (see {@link #apply(String, String, String, String, OrderTerms, String, KeyChoice,
     * OrderSource, UUID, Instant)}), of a product from the catalogue and with a verification method.
     *
     * @param product            the product sold, already checked against the terms
     * @param verificationMethod {@link VerificationMethod} name, or null for what each domain is set up for
     */
    public static Order apply(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                              Product product, KeyChoice key, String verificationMethod, OrderSource source,
                              UUID purchaseEventId, Instant now) {
        Order order = create(id, orderId, accountId, certificateId, terms, product, source, purchaseEventId, now);
        order.request(terms.domains(), key, verificationMethod, now);
        if (source == OrderSource.PURCHASE) {
            order.raise(new PurchaseAccepted(UUID.randomUUID(), now, accountId, orderId, certificateId, order.domains,
                    order.termEndsAt, PurchaseAccepted.APPLIED));
        }
        return order;
    }

    /**
     * A purchase that named no domains: the order and its term exist (the certificate id is reserved) and
     * the purchase is answered ({@link PurchaseAccepted}, {@code AWAITING_APPLICATION}) in the same write; the
     * certificate is requested by {@link #applyWith}.
     *
     * @param terms what was bought, already checked, without names
     */
    public static Order purchased(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                                  Product product, UUID purchaseEventId, Instant now) {
        Order order = create(id, orderId, accountId, certificateId, terms, product, OrderSource.PURCHASE,
                purchaseEventId, now);
        order.status = OrderStatus.PURCHASED;
        order.domainsFromPurchase = false;
        order.raise(new PurchaseAccepted(UUID.randomUUID(), now, accountId, orderId, certificateId, List.of(),
                order.termEndsAt, PurchaseAccepted.AWAITING_APPLICATION));
        return order;
    }

    private static Order create(String id, String orderId, String accountId, String certificateId, OrderTerms terms,
                                Product product, OrderSource source, UUID purchaseEventId, Instant now) {
        Order order = new Order(id, accountId);
        // stored to the millisecond: every event of the order states the term as the document keeps it
        now = now.truncatedTo(ChronoUnit.MILLIS);
        order.orderId = orderId;
        order.certificateId = certificateId;
        order.source = source;
        order.purchaseEventId = purchaseEventId == null ? null : purchaseEventId.toString();
        order.domains = terms.domains();
        order.product = terms.product();
        order.termYears = terms.termYears();
        order.hosting = terms.hosting();
        order.paid = product.paid();
        order.createdAt = now;
        order.termEndsAt = terms.termEndsAt(now);
        order.caProfile = product.caProfile();
        return order;
    }

    private void request(List<String> names, KeyChoice key, String method, Instant now) {
        domains = List.copyOf(names);
        keyType = key.keyType();
        reuseKey = key.reuseKey();
        verificationMethod = method;
        status = OrderStatus.APPLIED;
        appliedAt = now;
        raise(new CertificateRequested(UUID.randomUUID(), now, getAccountId(), certificateId, orderId,
                domains, product, termYears, termEndsAt, hosting, caProfile, keyType, reuseKey, method));
    }

    /**
     * The application of a purchase that named no domains: names, verification method and key chosen; the
     * certificate is requested in the same write.
     *
     * @param terms the application's terms (this order's product, term and hosting, with the names), checked
     * @throws OrderStateException if the order is not waiting for its application, or its term has ended
     */
    public void applyWith(OrderTerms terms, KeyChoice key, String verificationMethod, Instant now) {
        if (status != OrderStatus.PURCHASED) {
            throw new OrderStateException("order " + orderId + " is " + status + "; only a purchase that named no "
                    + "domains (PURCHASED) waits for its application");
        }
        if (!now.isBefore(termEndsAt)) {
            throw new OrderStateException("order " + orderId + ": its term ended at " + termEndsAt
                    + "; there is nothing left to apply for");
        }
        request(terms.domains(), key, verificationMethod, now);
    }

    /**
     * A version of the order's certificate was issued: the order is {@link OrderStatus#HOSTED} (renewed for the
     * term) or {@link OrderStatus#ISSUED}; a cancelled order stays cancelled, the version is only recorded.
     */
    public void issued(CertificateIssued event) {
        certificatesIssued++;
        if (certificateIssuedAt == null || !event.notBefore().isBefore(certificateIssuedAt)) {
            serialNumber = event.serialNumber();
            certificateIssuedAt = event.notBefore();
            certificateExpiresAt = event.notAfter();
        }
        lastFailure = null;
        lastFailureAt = null;
        if (status != OrderStatus.CANCELLED) {
            status = hosting ? OrderStatus.HOSTED : OrderStatus.ISSUED;
        }
    }

    /** An issuance attempt of the order's certificate failed: the reason is shown until a version is issued. */
    public void issuanceFailed(IssuanceFailed event) {
        lastFailure = event.reason() + (Boolean.TRUE.equals(event.retryable()) ? " (retried)" : "");
        lastFailureAt = event.occurredAt();
    }

    /**
     * Cancels the order (a refund, or the owner's decision): nothing is renewed or deployed any more and, if
     * {@code revoke}, the live certificate is revoked. Once the certificate was requested this raises
     * {@link OrderCancelled} in the same write; a purchase never applied has nothing downstream to stop.
     *
     * @param reason why, for people (optional)
     * @throws OrderStateException if it is cancelled already
     */
    public void cancel(String reason, boolean revoke, Instant now) {
        if (status == OrderStatus.CANCELLED) {
            throw new OrderStateException("order " + orderId + " was cancelled already at " + cancelledAt);
        }
        boolean requested = status != OrderStatus.PURCHASED;
        status = OrderStatus.CANCELLED;
        cancelledAt = now;
        cancelReason = reason;
        revokeRequested = revoke && requested;
        if (requested) {
            raise(new OrderCancelled(UUID.randomUUID(), now, getAccountId(), certificateId, orderId, reason,
                    revokeRequested));
        }
    }

    /** Whether the paid term is running at {@code now} (not cancelled, not ended). */
    public boolean isActiveAt(Instant now) {
        return status != OrderStatus.CANCELLED && now.isBefore(termEndsAt);
    }

    /** The document id of the order made from upstream order {@code upstreamOrderId}. */
    public static String upstreamId(String upstreamOrderId) {
        return UPSTREAM_ID_PREFIX + upstreamOrderId;
    }

    /**
     * Whether {@code terms} bought by {@code accountId} is what this order already records (the names in
     * any order).
     */
    public boolean sameAs(String accountId, OrderTerms terms) {
        boolean sameNames = domainsFromPurchase
                ? new HashSet<>(domains).equals(new HashSet<>(terms.domains()))
                : terms.domains().isEmpty();
        return getAccountId().equals(accountId) && sameNames
                && product.equals(terms.product())
                && termYears == terms.termYears() && hosting == terms.hosting();
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public OrderSource getSource() {
        return source;
    }

    public String getPurchaseEventId() {
        return purchaseEventId;
    }

    public List<String> getDomains() {
        return domains;
    }

    public String getProduct() {
        return product;
    }

    public int getTermYears() {
        return termYears;
    }

    public boolean isHosting() {
        return hosting;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getTermEndsAt() {
        return termEndsAt;
    }

    /** The key type asked for, or null for the CA profile's default. */
    public String getKeyType() {
        return keyType;
    }

    /** Whether renewals keep the certificate's key. */
    public boolean isReuseKey() {
        return reuseKey;
    }

    /** The CA profile of the product when ordered, or null for the default profile. */
    public String getCaProfile() {
        return caProfile;
    }

    /** Whether the product is paid (only paid products are hosted). */
    public boolean isPaid() {
        return paid;
    }

    /** The verification method the application chose, or null for what each domain is set up for. */
    public String getVerificationMethod() {
        return verificationMethod;
    }

    /** When the certificate was requested (null while {@link OrderStatus#PURCHASED}). */
    public Instant getAppliedAt() {
        return appliedAt;
    }

    /** How many versions of the certificate were issued (first issuance and renewals). */
    public int getCertificatesIssued() {
        return certificatesIssued;
    }

    /** The serial of the latest issued version, or null. */
    public String getSerialNumber() {
        return serialNumber;
    }

    /** When the latest issued version expires, or null. */
    public Instant getCertificateExpiresAt() {
        return certificateExpiresAt;
    }

    /** The last issuance failure since the last version, or null. */
    public String getLastFailure() {
        return lastFailure;
    }

    /** When it failed, or null. */
    public Instant getLastFailureAt() {
        return lastFailureAt;
    }

    /** When it was cancelled, or null. */
    public Instant getCancelledAt() {
        return cancelledAt;
    }

    /** Why it was cancelled, or null. */
    public String getCancelReason() {
        return cancelReason;
    }

    /** Whether the cancellation asked to revoke the live certificate. */
    public boolean isRevokeRequested() {
        return revokeRequested;
    }
}
